#include "server/inventory.hpp"

#include <fmt/core.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>
#include <tuple>

#include "core/digest.hpp"
#include "core/json.hpp"
#include "core/paging.hpp"
#include "core/text.hpp"

namespace ec2m::server {
namespace {

constexpr size_t kMaxActionIds = 100;
const std::vector<std::string> kSortFields = {"id",   "name", "state",      "type",
                                              "zone", "env",  "launch_time"};

std::string SortValue(const InventoryItem& item, const std::string& field) {
  const Instance& i = item.instance;
  if (field == "name") {
    return NameOf(i);
  }
  if (field == "state") {
    return std::string(InstanceStateName(i.state));
  }
  if (field == "type") {
    return i.instance_type;
  }
  if (field == "zone") {
    return i.availability_zone;
  }
  if (field == "env") {
    return item.env;
  }
  if (field == "launch_time") {
    return FormatIso8601Millis(i.launch_time);
  }
  return i.instance_id;
}

// The total order of a listing: the sort value, then (env, id) to break ties.
using SortKey = std::tuple<std::string, std::string, std::string>;

SortKey KeyOf(const InventoryItem& item, const std::string& field) {
  return {SortValue(item, field), item.env, item.instance.instance_id};
}

std::string Hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

// A cursor is the hex of the JSON [sort field, value, env, id] of the page's last item.
std::string EncodeCursor(const std::string& sort, const SortKey& key) {
  return Hex(nlohmann::json{sort, std::get<0>(key), std::get<1>(key), std::get<2>(key)}.dump());
}

Result<SortKey> DecodeCursor(const std::string& cursor, const std::string& sort) {
  auto text = HexDecode(cursor);
  nlohmann::json j = text ? ParseJsonOrDiscard(*text) : nlohmann::json();
  if (!text || j.is_discarded() || !j.is_array() || j.size() != 4 ||
      !std::all_of(j.begin(), j.end(), [](const auto& v) { return v.is_string(); })) {
    return Fail(ErrorCode::kInvalidArgument, "cursor: not a cursor this API returned");
  }
  if (j[0].get<std::string>() != sort) {
    return Fail(ErrorCode::kInvalidArgument, "cursor: it belongs to a listing sorted by " +
                                                 j[0].get<std::string>() + ", not " + sort +
                                                 "; start again without a cursor");
  }
  return SortKey{j[1].get<std::string>(), j[2].get<std::string>(), j[3].get<std::string>()};
}

bool Matches(const InventoryItem& item, const InstanceFilter& f, const std::string& text) {
  const Instance& i = item.instance;
  if ((!f.visible.empty() && f.visible.count(item.env) == 0) ||
      (!f.env.empty() && item.env != f.env) ||
      (!f.state.empty() && InstanceStateName(i.state) != f.state) ||
      (!f.type.empty() && i.instance_type != f.type) ||
      (!f.zone.empty() && i.availability_zone != f.zone)) {
    return false;
  }
  if (!f.tag_key.empty()) {
    auto it = std::find_if(i.tags.begin(), i.tags.end(),
                           [&](const Tag& t) { return t.key == f.tag_key; });
    if (it == i.tags.end() || (!f.tag_value.empty() && it->value != f.tag_value)) {
      return false;
    }
  }
  if (!text.empty()) {
    std::string hay = i.instance_id + " " + i.private_ip_address + " " + i.public_ip_address + " " +
                      i.instance_type + " " + item.env;
    for (const Tag& t : i.tags) {
      hay += " " + t.key + "=" + t.value;
    }
    if (AsciiLower(hay).find(text) == std::string::npos) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::string NameOf(const Instance& instance) {
  for (const Tag& t : instance.tags) {
    if (t.key == "Name") {
      return t.value;
    }
  }
  return "";
}

nlohmann::json ItemToJson(const InventoryItem& item) {
  const Instance& i = item.instance;
  nlohmann::json tags = nlohmann::json::object();
  for (const Tag& t : i.tags) {
    tags[t.key] = t.value;
  }
  return {{"id", i.instance_id},
          {"env", item.env},
          {"name", NameOf(i)},
          {"state", std::string(InstanceStateName(i.state))},
          {"type", i.instance_type},
          {"zone", i.availability_zone},
          {"private_ip", i.private_ip_address},
          {"public_ip", i.public_ip_address},
          {"image_id", i.image_id},
          {"launch_time", FormatIso8601Millis(i.launch_time)},
          {"tags", std::move(tags)},
          {"termination_protection", i.disable_api_termination}};
}

Inventory::Inventory(std::vector<EnvironmentHandle> environments, CallObserver observer)
    : environments_(std::move(environments)),
      observer_(std::move(observer)),
      snapshot_(std::make_shared<const Snapshot>()) {}

Inventory::~Inventory() { Stop(); }

const EnvironmentHandle* Inventory::Find(const std::string& env) const {
  for (const auto& e : environments_) {
    if (e.config.name == env) {
      return &e;
    }
  }
  return nullptr;
}

std::shared_ptr<const Inventory::Snapshot> Inventory::Current() const {
  std::lock_guard lock(mu_);
  return snapshot_;
}

Result<std::vector<Instance>> Inventory::Read(const EnvironmentHandle& env,
                                              const DescribeRequest& base) {
  DescribeRequest req = base;
  req.filters.push_back({std::string("tag:") + kEnvironmentTag, {env.config.name}});
  if (req.ids.empty()) {
    req.max_results = 1000;
  }
  std::vector<Instance> out;
  EC2M_RETURN_IF_ERROR(ForEachPage(
      req,
      [&](const DescribeRequest& r) {
        return Observed(env.config.name, env.ec2->DescribeInstances(r));
      },
      [&](std::vector<Reservation>&& page) {
        for (auto& r : page) {
          std::move(r.instances.begin(), r.instances.end(), std::back_inserter(out));
        }
      }));
  return out;
}

void Inventory::Replace(const std::string& env, std::vector<Instance> instances) {
  std::lock_guard lock(mu_);
  auto next = std::make_shared<Snapshot>();
  next->items.reserve(snapshot_->items.size() + instances.size());
  for (const InventoryItem& item : snapshot_->items) {
    if (item.env != env) {
      next->items.push_back(item);
    }
  }
  for (Instance& i : instances) {
    InventoryItem item{env, std::move(i), ""};
    item.json = ItemToJson(item).dump();
    next->items.push_back(std::move(item));
  }
  std::sort(
      next->items.begin(), next->items.end(), [](const InventoryItem& a, const InventoryItem& b) {
        return std::tie(a.env, a.instance.instance_id) < std::tie(b.env, b.instance.instance_id);
      });
  next->by_id.reserve(next->items.size());
  for (const InventoryItem& item : next->items) {
    next->by_id.push_back(&item);
  }
  std::sort(next->by_id.begin(), next->by_id.end(),
            [](const InventoryItem* a, const InventoryItem* b) {
              return std::tie(a->instance.instance_id, a->env) <
                     std::tie(b->instance.instance_id, b->env);
            });
  snapshot_ = std::move(next);
}

Result<void> Inventory::Refresh(const std::string& env) {
  std::optional<Error> first;
  for (const auto& e : environments_) {
    if (!env.empty() && e.config.name != env) {
      continue;
    }
    auto instances = Read(e, {});
    if (!instances) {
      if (!first) {
        first = instances.error();
        first->message = "environment " + e.config.name + ": " + first->message;
      }
      continue;
    }
    Replace(e.config.name, std::move(*instances));
  }
  if (first) {
    return Fail(*first);
  }
  return {};
}

Result<InventoryPage> Inventory::List(const InstanceFilter& f) const {
  return ListIn(Current(), f);
}

Result<std::shared_ptr<const std::string>> Inventory::ListJson(const InstanceFilter& f) const {
  std::string key = fmt::format("{}\n{}\n{}\n{}\n{}\n{}\n{}\n{}\n{}\n{}\n{}", f.env, f.state,
                                f.type, f.zone, f.tag_key, f.tag_value, f.text, f.sort, f.limit,
                                f.cursor, fmt::join(f.visible, ","));
  auto snapshot = Current();
  {
    std::lock_guard lock(snapshot->pages_mu);
    auto it = snapshot->pages.find(key);
    if (it != snapshot->pages.end()) {
      return it->second;
    }
  }
  auto page = ListIn(snapshot, f);
  EC2M_RETURN_IF_ERROR(page);
  // The items' JSON was rendered with the snapshot: the page is joined, not re-encoded, into a
  // string reserved to the byte.
  size_t size = 64 + page->next_cursor.size();
  for (const auto& item : page->items) {
    size += item->json.size() + 1;
  }
  std::string text;
  text.reserve(size);
  text += "{\"items\":[";
  for (size_t i = 0; i < page->items.size(); ++i) {
    text += i == 0 ? "" : ",";
    text += page->items[i]->json;
  }
  text += "],\"next_cursor\":";
  text += page->next_cursor.empty() ? "null" : "\"" + page->next_cursor + "\"";
  text += "}";
  auto shared = std::make_shared<const std::string>(std::move(text));
  std::lock_guard lock(snapshot->pages_mu);
  if (snapshot->pages.size() >= kMaxPages) {
    snapshot->pages.clear();
  }
  snapshot->pages.emplace(std::move(key), shared);
  return shared;
}

Result<InventoryPage> Inventory::ListIn(std::shared_ptr<const Snapshot> snapshot,
                                        const InstanceFilter& f) const {
  if (f.limit < 1 || f.limit > 1000) {
    return Fail(ErrorCode::kInvalidArgument,
                fmt::format("limit: expected 1..1000, got {}", f.limit));
  }
  if (!f.env.empty() && Find(f.env) == nullptr) {
    return Fail(ErrorCode::kInvalidArgument, "env: no environment named " + ShownValue(f.env));
  }
  const bool descending = !f.sort.empty() && f.sort[0] == '-';
  const std::string field = descending ? f.sort.substr(1) : f.sort;
  if (std::find(kSortFields.begin(), kSortFields.end(), field) == kSortFields.end()) {
    return Fail(ErrorCode::kInvalidArgument,
                "sort: expected one of id, name, state, type, zone, env, launch_time (with - for "
                "descending), got " +
                    ShownValue(f.sort));
  }
  std::optional<SortKey> after;
  if (!f.cursor.empty()) {
    auto key = DecodeCursor(f.cursor, f.sort);
    EC2M_RETURN_IF_ERROR(key);
    after = *key;
  }
  const std::string text = AsciiLower(f.text);
  // The listing's order: the id order is kept ready in the snapshot (the common, unfiltered
  // first page costs no sort and no copy); any other order sorts the matching items.
  const bool by_id = field == "id";
  std::vector<std::pair<SortKey, const InventoryItem*>> sorted;
  if (!by_id) {
    for (const InventoryItem& item : snapshot->items) {
      if (Matches(item, f, text)) {
        sorted.emplace_back(KeyOf(item, field), &item);
      }
    }
    std::sort(sorted.begin(), sorted.end(), [descending](const auto& a, const auto& b) {
      return descending ? b.first < a.first : a.first < b.first;
    });
  }
  const size_t n = by_id ? snapshot->by_id.size() : sorted.size();
  auto item_at = [&](size_t i) {
    return by_id ? snapshot->by_id[descending ? n - 1 - i : i] : sorted[i].second;
  };
  // The first position after the cursor, in the listing's direction (a binary search).
  size_t begin = 0;
  if (after) {
    size_t lo = 0;
    size_t hi = n;
    while (lo < hi) {
      const size_t mid = lo + (hi - lo) / 2;
      const SortKey k = by_id ? KeyOf(*item_at(mid), field) : sorted[mid].first;
      const bool before_or_at = descending ? !(k < *after) : !(*after < k);
      if (before_or_at) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    begin = lo;
  }
  InventoryPage page;
  page.keep_alive = snapshot;
  page.items.reserve(static_cast<size_t>(f.limit));
  for (size_t i = begin; i < n; ++i) {
    const InventoryItem* item = item_at(i);
    if (by_id && !Matches(*item, f, text)) {
      continue;
    }
    if (static_cast<int>(page.items.size()) == f.limit) {
      // One more item matches: this page is not the last.
      page.next_cursor = EncodeCursor(f.sort, KeyOf(*page.items.back(), field));
      break;
    }
    page.items.push_back(item);
  }
  return page;
}

Result<InventoryItem> Inventory::Get(const std::string& env, const std::string& id) const {
  if (Find(env) == nullptr) {
    return Fail(ErrorCode::kNotFound, "no environment named " + ShownValue(env));
  }
  auto snapshot = Current();
  for (const InventoryItem& item : snapshot->items) {
    if (item.env == env && item.instance.instance_id == id) {
      return item;
    }
  }
  return Fail(ErrorCode::kNotFound, "instance " + id + " not found in environment " + env);
}

std::map<std::string, int> Inventory::CountByState(const std::string& env) const {
  std::map<std::string, int> counts;
  auto snapshot = Current();
  for (const InventoryItem& item : snapshot->items) {
    if (item.env == env) {
      ++counts[std::string(InstanceStateName(item.instance.state))];
    }
  }
  return counts;
}

Result<std::vector<ActionResult>> Inventory::Act(const std::string& env, const std::string& action,
                                                 const std::vector<std::string>& ids) {
  const EnvironmentHandle* handle = Find(env);
  if (handle == nullptr) {
    return Fail(ErrorCode::kInvalidArgument, "env: no environment named " + ShownValue(env));
  }
  if (action != "start" && action != "stop" && action != "reboot" && action != "terminate") {
    return Fail(ErrorCode::kInvalidArgument,
                "action: expected start, stop, reboot or terminate, got " + ShownValue(action));
  }
  if (ids.empty() || ids.size() > kMaxActionIds) {
    return Fail(ErrorCode::kInvalidArgument,
                fmt::format("ids: expected 1..{} instance ids, got {}", kMaxActionIds, ids.size()));
  }
  std::vector<ActionResult> results;
  results.reserve(ids.size());
  for (const std::string& id : ids) {
    ActionResult r;
    r.id = id;
    // Only the environment's own instances: an id from elsewhere is not found here.
    auto known = Get(env, id);
    if (!known) {
      r.error = known.error();
      results.push_back(std::move(r));
      continue;
    }
    r.previous_state = InstanceStateName(known->instance.state);
    const InstanceIdsRequest req{{id}, false, false};
    if (action == "reboot") {
      auto done = Observed(env, handle->ec2->RebootInstances(req));
      r.ok = done.has_value();
      r.state = r.previous_state;
      if (!done) {
        r.error = done.error();
      }
    } else {
      auto changes = Observed(env, action == "start"  ? handle->ec2->StartInstances(req)
                                   : action == "stop" ? handle->ec2->StopInstances(req)
                                                      : handle->ec2->TerminateInstances(req));
      r.ok = changes.has_value();
      if (changes && !changes->empty()) {
        r.state = InstanceStateName(changes->front().current);
      } else if (!changes) {
        r.error = changes.error();
      }
    }
    results.push_back(std::move(r));
  }
  (void)Refresh(env);  // the results above stand even if the refresh fails; the loop retries
  return results;
}

Result<InventoryItem> Inventory::SetTags(const std::string& env, const std::string& id,
                                         const std::map<std::string, std::string>& set,
                                         const std::vector<std::string>& remove) {
  const EnvironmentHandle* handle = Find(env);
  if (handle == nullptr) {
    return Fail(ErrorCode::kNotFound, "no environment named " + ShownValue(env));
  }
  if (set.count(kEnvironmentTag) != 0 ||
      std::find(remove.begin(), remove.end(), kEnvironmentTag) != remove.end()) {
    return Fail(ErrorCode::kInvalidArgument,
                std::string("tags: the ") + kEnvironmentTag +
                    " tag places the instance in its environment and cannot be changed here");
  }
  auto known = Get(env, id);
  EC2M_RETURN_IF_ERROR(known);
  if (!set.empty()) {
    CreateTagsRequest req;
    req.resource_ids = {id};
    for (const auto& [k, v] : set) {
      req.tags.push_back({k, v});
    }
    EC2M_RETURN_IF_ERROR(Observed(env, handle->ec2->CreateTags(req)));
  }
  if (!remove.empty()) {
    DeleteTagsRequest req;
    req.resource_ids = {id};
    for (const auto& k : remove) {
      req.tags.push_back({k, std::nullopt});
    }
    EC2M_RETURN_IF_ERROR(Observed(env, handle->ec2->DeleteTags(req)));
  }
  auto fresh = Read(*handle, DescribeRequest{{id}, {}, std::nullopt, "", false});
  EC2M_RETURN_IF_ERROR(fresh);
  (void)Refresh(env);
  if (fresh->empty()) {
    return Fail(ErrorCode::kNotFound, "instance " + id + " not found in environment " + env);
  }
  InventoryItem item{env, std::move(fresh->front()), ""};
  item.json = ItemToJson(item).dump();
  return item;
}

void Inventory::Start(std::chrono::milliseconds period) {
  {
    std::lock_guard lock(loop_mu_);
    if (loop_.joinable()) {
      return;
    }
    stopping_ = false;
  }
  loop_ = std::thread([this, period] {
    std::unique_lock lock(loop_mu_);
    while (!stopping_) {
      if (!paused_) {
        in_round_ = true;
        lock.unlock();
        (void)Refresh();  // failures keep the last snapshot; /health/ready reports the cloud
        lock.lock();
        in_round_ = false;
        loop_cv_.notify_all();
      }
      // Scheduling waits on the steady clock: the Clock stamps what happened, and a ManualClock
      // in tests would never wake this loop.
      loop_cv_.wait_for(lock, period, [this] { return stopping_; });
    }
  });
}

void Inventory::Pause() {
  std::unique_lock lock(loop_mu_);
  paused_ = true;
  loop_cv_.wait(lock, [this] { return !in_round_; });
}

void Inventory::Resume() {
  std::lock_guard lock(loop_mu_);
  paused_ = false;
}

void Inventory::Stop() {
  {
    std::lock_guard lock(loop_mu_);
    stopping_ = true;
  }
  loop_cv_.notify_all();
  if (loop_.joinable()) {
    loop_.join();
  }
}

}  // namespace ec2m::server
