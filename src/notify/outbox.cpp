#include "notify/outbox.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "core/json.hpp"
#include "core/text.hpp"
#include "notify/deliver.hpp"
#include "notify/render.hpp"

namespace ec2m::notify {
namespace {

constexpr const char* kNotifications = "notifications";
constexpr const char* kPending = "outbox";
constexpr const char* kDone = "outbox_done";
constexpr size_t kMaxId = 200;
constexpr int kMaxLimit = 1000;
constexpr int kMaxDoublings = 30;

std::string Key(int64_t enqueued_ms, const std::string& id, const std::string& channel) {
  return fmt::format("{:015d}/{}/{}", enqueued_ms, id, channel);
}

bool ValidId(std::string_view id) {
  return !id.empty() && id.size() <= kMaxId && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == ':' || c == '@' || c == '-';
  });
}

std::string Time(int64_t ms) { return ms == 0 ? "" : FormatIso8601Millis(FromUnixMillis(ms)); }

nlohmann::json Stored(const Delivery& d) {
  return {{"notification", NotificationJson(d.notification)},
          {"channel", d.channel},
          {"state", d.state},
          {"attempts", d.attempts},
          {"last_error", d.last_error},
          {"enqueued_ms", d.enqueued_ms},
          {"next_attempt_ms", d.next_attempt_ms},
          {"lease_until_ms", d.lease_until_ms},
          {"claimed_by", d.claimed_by},
          {"updated_ms", d.updated_ms},
          {"finished_ms", d.finished_ms},
          {"github_deployment_id", d.github_deployment_id}};
}

Result<Delivery> FromDoc(const Doc& doc) {
  auto j = ParseJsonOrDiscard(doc.body);
  if (j.is_discarded() || !j.is_object() || !j.contains("notification")) {
    return Fail(ErrorCode::kInternal, "outbox entry " + doc.key + " does not parse");
  }
  auto n = NotificationFromJson(j["notification"]);
  if (!n) {
    return Fail(ErrorCode::kInternal, "outbox entry " + doc.key + ": " + n.error().message);
  }
  Delivery d;
  d.key = doc.key;
  d.version = doc.version;
  d.notification = std::move(*n);
  try {
    d.channel = j.at("channel").get<std::string>();
    d.state = j.at("state").get<std::string>();
    d.attempts = j.at("attempts").get<int>();
    d.last_error = j.at("last_error").get<std::string>();
    d.enqueued_ms = j.at("enqueued_ms").get<int64_t>();
    d.next_attempt_ms = j.at("next_attempt_ms").get<int64_t>();
    d.lease_until_ms = j.at("lease_until_ms").get<int64_t>();
    d.claimed_by = j.at("claimed_by").get<std::string>();
    d.updated_ms = j.at("updated_ms").get<int64_t>();
    d.finished_ms = j.at("finished_ms").get<int64_t>();
    d.github_deployment_id = j.at("github_deployment_id").get<int64_t>();
  } catch (const nlohmann::json::exception& e) {
    return Fail(ErrorCode::kInternal, "outbox entry " + doc.key + ": " + e.what());
  }
  return d;
}

bool Due(const Delivery& d, int64_t now_ms) {
  if (d.state == "pending") {
    return d.next_attempt_ms <= now_ms;
  }
  return d.state == "sending" && d.lease_until_ms <= now_ms;
}

// Lost races show as these codes; anything else is the store failing.
bool LostRace(const Error& e) {
  return e.code == ErrorCode::kFailedPrecondition || e.code == ErrorCode::kAlreadyExists ||
         e.code == ErrorCode::kNotFound;
}

Result<void> Validate(Notification& n) {
  if (n.kind.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "notification: kind: must not be empty");
  }
  if (n.title.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "notification: title: must not be empty");
  }
  if (n.severity.empty()) {
    n.severity = "info";
  }
  if (!SeverityRank(n.severity)) {
    return Fail(ErrorCode::kInvalidArgument,
                "notification: severity: expected info, warning or critical, got " +
                    ShownValue(n.severity));
  }
  if (!ValidId(n.id)) {
    return Fail(ErrorCode::kInvalidArgument,
                fmt::format("notification: id: expected 1..{} of A-Z, a-z, 0-9, '.', '_', ':', "
                            "'@' and '-', got {}",
                            kMaxId, ShownValue(n.id)));
  }
  return {};
}

// Up to `limit` entries of `collection` that `q` takes, newest first, after q.cursor.
Result<std::vector<Delivery>> Collect(Store& store, const char* collection, const DeliveryQuery& q,
                                      int page) {
  std::vector<Delivery> out;
  DocQuery docs_query{.after = q.cursor, .limit = page, .descending = true};
  for (;;) {
    auto docs = store.ListDocs(collection, docs_query);
    EC2M_RETURN_IF_ERROR(docs);
    for (const Doc& doc : *docs) {
      auto d = FromDoc(doc);
      EC2M_RETURN_IF_ERROR(d);
      if ((!q.state.empty() && d->state != q.state) || (q.visible && !q.visible(*d))) {
        continue;
      }
      out.push_back(std::move(*d));
      if (static_cast<int>(out.size()) == q.limit) {
        return out;
      }
    }
    if (static_cast<int>(docs->size()) < page) {
      return out;
    }
    docs_query.after = docs->back().key;
  }
}

}  // namespace

nlohmann::json DeliveryJson(const Delivery& d) {
  const Notification& n = d.notification;
  nlohmann::json j = {{"id", n.id},
                      {"channel", d.channel},
                      {"kind", n.kind},
                      {"environment", n.environment},
                      {"severity", n.severity},
                      {"title", n.title},
                      {"state", d.state},
                      {"attempts", d.attempts},
                      {"last_error", d.last_error},
                      {"enqueued_at", Time(d.enqueued_ms)},
                      {"updated_at", Time(d.updated_ms)}};
  j["next_attempt_at"] =
      d.state == "pending" ? nlohmann::json(Time(d.next_attempt_ms)) : nlohmann::json(nullptr);
  j["finished_at"] =
      d.finished_ms != 0 ? nlohmann::json(Time(d.finished_ms)) : nlohmann::json(nullptr);
  return j;
}

std::chrono::milliseconds Backoff(int attempts, const OutboxOptions& options, Random& random) {
  const int doublings = std::clamp(attempts - 1, 0, kMaxDoublings);
  const double full =
      std::min(static_cast<double>(options.max_backoff.count()),
               static_cast<double>(options.first_backoff.count()) * std::ldexp(1.0, doublings));
  return std::chrono::milliseconds(
      static_cast<int64_t>(full / 2 + random.NextDouble() * (full / 2)));
}

Outbox::Outbox(Store& store, Transport& transport, const Clock& clock, Random& random,
               OutboxOptions options)
    : store_(store),
      transport_(transport),
      clock_(clock),
      random_(random),
      options_(std::move(options)),
      channels_(store, clock, options_.keys, &random) {
  if (options_.owner.empty()) {
    options_.owner = NewUuid(random_);
  }
}

Outbox::~Outbox() { Stop(); }

int64_t Outbox::NowMs() const { return ToUnixMillis(clock_.Now()); }

Result<std::string> Outbox::Enqueue(Notification n) {
  if (n.id.empty()) {
    n.id = "n-" + NewUuid(random_);
  }
  EC2M_RETURN_IF_ERROR(Validate(n));
  auto all = channels_.List();
  EC2M_RETURN_IF_ERROR(all);
  std::vector<const Channel*> targets;
  for (size_t i = 0; i < n.channels.size(); ++i) {
    auto it = std::find_if(all->begin(), all->end(),
                           [&](const Channel& c) { return c.name == n.channels[i]; });
    if (it == all->end()) {
      return Fail(ErrorCode::kInvalidArgument, fmt::format("notification: channels[{}]: no "
                                                           "channel named {}",
                                                           i, ShownValue(n.channels[i])));
    }
    if (!TakesKind(it->type, n.kind)) {
      return Fail(ErrorCode::kInvalidArgument,
                  fmt::format("notification: channels[{}]: channel {} ({}) does not take {} "
                              "notifications",
                              i, it->name, ChannelTypeName(it->type), n.kind));
    }
    targets.push_back(&*it);
  }
  if (n.channels.empty()) {
    for (const Channel& c : *all) {
      if (Matches(c.filter, n) && TakesKind(c.type, n.kind)) {
        targets.push_back(&c);
      }
    }
  }
  const int64_t now = NowMs();
  std::vector<DocWrite> writes;
  try {
    nlohmann::json record = {{"notification", NotificationJson(n)},
                             {"enqueued_ms", now},
                             {"channels", nlohmann::json::array()}};
    for (const Channel* c : targets) {
      record["channels"].push_back(c->name);
      Delivery d;
      d.notification = n;
      d.channel = c->name;
      d.enqueued_ms = now;
      d.next_attempt_ms = now;
      d.updated_ms = now;
      writes.push_back({kPending, Key(now, n.id, c->name), Stored(d).dump(), 0});
    }
    writes.insert(writes.begin(), DocWrite{kNotifications, n.id, record.dump(), 0});
  } catch (const nlohmann::json::exception& e) {
    return Fail(ErrorCode::kInvalidArgument, std::string("notification: ") + e.what());
  }
  auto written = store_.WriteDocs(writes);
  if (!written && written.error().code == ErrorCode::kAlreadyExists) {
    return n.id;  // enqueued before: stored once
  }
  EC2M_RETURN_IF_ERROR(written);
  {
    std::lock_guard lock(mu_);
    wake_ = true;
  }
  cv_.notify_all();
  return n.id;
}

Result<PassReport> Outbox::DeliverDue() {
  PassReport report;
  const int64_t now = NowMs();
  DocQuery query{.limit = options_.page};
  for (;;) {
    auto docs = store_.ListDocs(kPending, query);
    EC2M_RETURN_IF_ERROR(docs);
    for (const Doc& doc : *docs) {
      auto d = FromDoc(doc);
      if (!d) {
        std::fprintf(stderr, "ec2m: notifications: %s\n", d.error().message.c_str());
        continue;
      }
      if (!Due(*d, now)) {
        continue;
      }
      // The claim: written under the version read, so only one process wins it.
      d->state = "sending";
      d->claimed_by = options_.owner;
      d->attempts += 1;
      d->lease_until_ms = NowMs() + options_.lease.count();
      auto claimed = Rewrite(*d);
      if (!claimed) {
        std::fprintf(stderr, "ec2m: notifications: claiming %s: %s\n", d->key.c_str(),
                     claimed.error().ToString().c_str());
        continue;
      }
      if (!*claimed) {
        ++report.lost;
        continue;
      }
      Attempt(*d, report);
    }
    if (static_cast<int>(docs->size()) < options_.page) {
      return report;
    }
    query.after = docs->back().key;
  }
}

void Outbox::Attempt(Delivery& d, PassReport& report) {
  Outcome outcome;
  auto channel = channels_.Get(d.channel);
  if (!channel) {
    outcome = Outcome{false, channel.error().code == ErrorCode::kNotFound,
                      "channel " + d.channel + ": " + channel.error().message};
  } else {
    GithubProgress github{d.github_deployment_id, [this, &d](int64_t id) -> Result<void> {
                            d.github_deployment_id = id;
                            auto kept = Rewrite(d);
                            EC2M_RETURN_IF_ERROR(kept);
                            if (!*kept) {
                              return Fail(ErrorCode::kFailedPrecondition,
                                          "another process took the entry over");
                            }
                            return {};
                          }};
    outcome = Deliver(*channel, d.notification, transport_, clock_.Now(), github);
  }
  const int64_t now = NowMs();
  d.updated_ms = now;
  d.claimed_by.clear();
  d.lease_until_ms = 0;
  Result<bool> written = false;
  if (outcome.delivered) {
    d.state = "delivered";
    d.finished_ms = now;
    written = Finish(d);
    ++report.delivered;
  } else if (outcome.permanent || d.attempts >= options_.max_attempts) {
    d.state = "failed";
    d.finished_ms = now;
    d.last_error = outcome.error;
    written = Finish(d);
    ++report.failed;
    std::fprintf(stderr, "ec2m: notification %s to %s failed after %d attempt(s): %s\n",
                 d.notification.id.c_str(), d.channel.c_str(), d.attempts, outcome.error.c_str());
  } else {
    d.state = "pending";
    d.last_error = outcome.error;
    d.next_attempt_ms = now + Backoff(d.attempts, options_, random_).count();
    written = Rewrite(d);
    ++report.retrying;
  }
  if (!written) {
    // The entry stays claimed until its lease ends, then is attempted again.
    std::fprintf(stderr, "ec2m: notifications: recording %s: %s\n", d.key.c_str(),
                 written.error().ToString().c_str());
  } else if (!*written) {
    ++report.lost;
  }
}

Result<bool> Outbox::Rewrite(Delivery& d) {
  const std::vector<DocWrite> writes = {{kPending, d.key, Stored(d).dump(), d.version}};
  auto written = store_.WriteDocs(writes);
  if (!written) {
    if (LostRace(written.error())) {
      return false;
    }
    return Fail(written.error());
  }
  d.version = written->front();
  return true;
}

Result<bool> Outbox::Finish(Delivery& d) {
  const std::vector<DocWrite> writes = {{kPending, d.key, std::nullopt, d.version},
                                        {kDone, d.key, Stored(d).dump(), 0}};
  auto written = store_.WriteDocs(writes);
  if (!written) {
    if (LostRace(written.error())) {
      return false;
    }
    return Fail(written.error());
  }
  return true;
}

Result<int> Outbox::Prune() {
  const int64_t cutoff =
      NowMs() - std::chrono::duration_cast<std::chrono::milliseconds>(options_.retention).count();
  int removed = 0;
  // Done entries: keys are in enqueue order, and nothing enqueued after the cutoff finished
  // before it, so the walk stops at the first such key.
  DocQuery query{.limit = options_.page};
  for (bool more = true; more;) {
    auto docs = store_.ListDocs(kDone, query);
    EC2M_RETURN_IF_ERROR(docs);
    std::vector<DocWrite> deletes;
    for (const Doc& doc : *docs) {
      auto d = FromDoc(doc);
      if (d && d->enqueued_ms >= cutoff) {
        more = false;
        break;
      }
      if (!d || d->finished_ms < cutoff) {
        deletes.push_back({kDone, doc.key, std::nullopt, doc.version});
      }
    }
    more = more && static_cast<int>(docs->size()) == options_.page;
    if (!docs->empty()) {
      query.after = docs->back().key;
    }
    if (!deletes.empty()) {
      auto written = store_.WriteDocs(deletes);
      EC2M_RETURN_IF_ERROR(written);
      removed += static_cast<int>(deletes.size());
    }
  }
  // Ids for dedupe: keyed by id, so every one is read.
  query = DocQuery{.limit = options_.page};
  for (;;) {
    auto docs = store_.ListDocs(kNotifications, query);
    EC2M_RETURN_IF_ERROR(docs);
    std::vector<DocWrite> deletes;
    for (const Doc& doc : *docs) {
      auto j = ParseJsonOrDiscard(doc.body);
      const bool old = j.is_discarded() || !j.contains("enqueued_ms") ||
                       !j["enqueued_ms"].is_number_integer() ||
                       j["enqueued_ms"].get<int64_t>() < cutoff;
      if (old) {
        deletes.push_back({kNotifications, doc.key, std::nullopt, doc.version});
      }
    }
    if (!deletes.empty()) {
      auto written = store_.WriteDocs(deletes);
      EC2M_RETURN_IF_ERROR(written);
      removed += static_cast<int>(deletes.size());
    }
    if (static_cast<int>(docs->size()) < options_.page) {
      return removed;
    }
    query.after = docs->back().key;
  }
}

Result<DeliveryPage> Outbox::List(const DeliveryQuery& query) {
  if (query.limit < 1 || query.limit > kMaxLimit) {
    return Fail(ErrorCode::kInvalidArgument,
                fmt::format("limit: expected 1..{}, got {}", kMaxLimit, query.limit));
  }
  std::vector<const char*> collections;
  if (query.state.empty()) {
    collections = {kPending, kDone};
  } else if (query.state == "pending" || query.state == "sending") {
    collections = {kPending};
  } else if (query.state == "delivered" || query.state == "failed") {
    collections = {kDone};
  } else {
    return Fail(
        ErrorCode::kInvalidArgument,
        "state: expected pending, sending, delivered or failed, got " + ShownValue(query.state));
  }
  DeliveryPage page;
  for (const char* collection : collections) {
    auto items = Collect(store_, collection, query, options_.page);
    EC2M_RETURN_IF_ERROR(items);
    page.items.insert(page.items.end(), std::make_move_iterator(items->begin()),
                      std::make_move_iterator(items->end()));
  }
  // Each collection gave its newest `limit`; the newest `limit` of both are the page.
  std::sort(page.items.begin(), page.items.end(),
            [](const Delivery& a, const Delivery& b) { return a.key > b.key; });
  if (static_cast<int>(page.items.size()) >= query.limit) {
    page.items.resize(query.limit);
    page.next_cursor = page.items.back().key;
  }
  return page;
}

void Outbox::Start() {
  std::lock_guard lock(mu_);
  if (worker_.joinable()) {
    return;
  }
  stopping_ = false;
  worker_ = std::thread([this] { Loop(); });
}

void Outbox::Loop() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    if (!paused_) {
      in_pass_ = true;
      wake_ = false;
      lock.unlock();
      RunPass();
      lock.lock();
      in_pass_ = false;
      cv_.notify_all();
    }
    // Scheduling waits on the steady clock (a ManualClock in tests would never wake it); due
    // times are read from the Clock.
    cv_.wait_for(lock, options_.poll, [this] { return stopping_ || (wake_ && !paused_); });
  }
}

void Outbox::RunPass() {
  // The top of a worker loop: nothing escapes it.
  try {
    auto pass = DeliverDue();
    if (!pass) {
      std::fprintf(stderr, "ec2m: notifications: %s\n", pass.error().ToString().c_str());
    }
    const int64_t now = NowMs();
    if (now - last_prune_ms_ >=
        std::chrono::duration_cast<std::chrono::milliseconds>(options_.prune_every).count()) {
      last_prune_ms_ = now;
      if (auto pruned = Prune(); !pruned) {
        std::fprintf(stderr, "ec2m: notifications: pruning: %s\n",
                     pruned.error().ToString().c_str());
      }
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "ec2m: notifications: internal error: %s\n", e.what());
  }
}

void Outbox::Pause() {
  std::unique_lock lock(mu_);
  paused_ = true;
  cv_.wait(lock, [this] { return !in_pass_; });
}

void Outbox::Resume() {
  {
    std::lock_guard lock(mu_);
    paused_ = false;
    wake_ = true;
  }
  cv_.notify_all();
}

void Outbox::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (worker_.joinable()) {
    worker_.join();
  }
}

}  // namespace ec2m::notify
