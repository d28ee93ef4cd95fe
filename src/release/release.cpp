#include "release/release.hpp"

#include <cstdio>

#include <fmt/core.h>

#include <charconv>

#include "core/json.hpp"
#include "core/sequence.hpp"
#include "core/text.hpp"

namespace ec2m::release {

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Event, at, state, message)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Approval, by, role, at, comment)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Member, id, logical_id)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Trip, name, message, values, threshold)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Infrastructure, action, config_text, config_version,
                                                target, allow_delete_retained, plan, summary,
                                                lowers)

namespace {

constexpr const char* kReleases = "releases";
constexpr const char* kDeployments = "deployments";
// One document per deployment not yet final: what the deployer advances, without a scan.
constexpr const char* kActive = "deployments_active";
constexpr const char* kHeads = "release_heads";

std::string Key(int64_t number) { return fmt::format("{:012d}", number); }

nlohmann::json Optional(const std::optional<double>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json();
}

std::optional<double> OptionalFrom(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_number()) {
    return std::nullopt;
  }
  return it->get<double>();
}

nlohmann::json PerformanceJson(const std::optional<Performance>& p) {
  if (!p) {
    return nullptr;
  }
  return {{"latency_ms", Optional(p->latency_ms)},
          {"requests_per_minute", Optional(p->requests_per_minute)},
          {"error_rate", Optional(p->error_rate)}};
}

std::optional<Performance> PerformanceFrom(const nlohmann::json& j) {
  if (!j.is_object()) {
    return std::nullopt;
  }
  return Performance{OptionalFrom(j, "latency_ms"), OptionalFrom(j, "requests_per_minute"),
                     OptionalFrom(j, "error_rate")};
}

// The stored document: everything (the API's shape adds nothing and drops the logical ids).
nlohmann::json StoredJson(const Deployment& d) {
  return {
      {"id", d.id},
      {"number", d.number},
      {"kind", d.kind},
      {"infrastructure", d.infrastructure ? nlohmann::json(*d.infrastructure) : nlohmann::json()},
      {"release", d.release},
      {"environment", d.environment},
      {"group", d.group},
      {"state", d.state},
      {"author", d.author},
      {"promoted_from", d.promoted_from},
      {"emergency", d.emergency},
      {"emergency_reason", d.emergency_reason},
      {"required_approvals", d.required_approvals},
      {"approvals", d.approvals},
      {"rejected_by", d.rejected_by},
      {"window", d.window},
      {"window_opens_at", d.window_opens_at},
      {"change_set", d.change_set},
      {"blue", d.blue},
      {"green", d.green},
      {"switched", d.switched},
      {"reason", d.reason},
      {"trigger", d.trigger ? nlohmann::json(*d.trigger) : nlohmann::json()},
      {"baseline", PerformanceJson(d.baseline)},
      {"comparison", PerformanceJson(d.comparison)},
      {"abort_requested_by", d.abort_requested_by},
      {"outcome", d.outcome},
      {"step_until", d.step_until},
      {"live_since", d.live_since},
      {"created_at", d.created_at},
      {"started_at", d.started_at},
      {"finished_at", d.finished_at},
      {"events", d.events}};
}

Result<Deployment> DeploymentFrom(const Doc& doc) {
  auto j = ParseJsonOrDiscard(doc.body);
  if (j.is_discarded() || !j.is_object()) {
    return Fail(ErrorCode::kInternal, "deployment " + doc.key + " does not parse");
  }
  try {
    Deployment d;
    d.id = j.value("id", "");
    d.number = j.value("number", int64_t{0});
    d.kind = j.value("kind", std::string(kKindRelease));  // documents before kinds: releases
    if (j.contains("infrastructure") && j["infrastructure"].is_object()) {
      d.infrastructure = j["infrastructure"].get<Infrastructure>();
    }
    d.release = j.value("release", "");
    d.environment = j.value("environment", "");
    d.group = j.value("group", "");
    d.state = j.value("state", "");
    d.author = j.value("author", "");
    d.promoted_from = j.value("promoted_from", "");
    d.emergency = j.value("emergency", "");
    d.emergency_reason = j.value("emergency_reason", "");
    d.required_approvals = j.value("required_approvals", 0);
    d.approvals = j.value("approvals", std::vector<Approval>{});
    d.rejected_by = j.value("rejected_by", "");
    d.window = j.value("window", "");
    d.window_opens_at = j.value("window_opens_at", "");
    d.change_set = j.value("change_set", "");
    d.blue = j.value("blue", std::vector<Member>{});
    d.green = j.value("green", std::vector<Member>{});
    d.switched = j.value("switched", false);
    d.reason = j.value("reason", "");
    if (j.contains("trigger") && j["trigger"].is_object()) {
      d.trigger = j["trigger"].get<Trip>();
    }
    d.baseline = PerformanceFrom(j.value("baseline", nlohmann::json()));
    d.comparison = PerformanceFrom(j.value("comparison", nlohmann::json()));
    d.abort_requested_by = j.value("abort_requested_by", "");
    d.outcome = j.value("outcome", "");
    d.step_until = j.value("step_until", "");
    d.live_since = j.value("live_since", "");
    d.created_at = j.value("created_at", "");
    d.started_at = j.value("started_at", "");
    d.finished_at = j.value("finished_at", "");
    d.events = j.value("events", std::vector<Event>{});
    d.version = doc.version;
    return d;
  } catch (const nlohmann::json::exception& e) {
    return Fail(ErrorCode::kInternal, "deployment " + doc.key + " does not parse: " + e.what());
  }
}

nlohmann::json StoredJson(const Release& r) {
  return {{"id", r.id},
          {"number", r.number},
          {"group", r.group},
          {"environment", r.environment},
          {"image", r.image},
          {"user_data", r.user_data ? nlohmann::json(*r.user_data) : nlohmann::json()},
          {"commit", r.commit},
          {"branch", r.branch},
          {"author", r.author},
          {"workflow_url", r.workflow_url},
          {"created_at", r.created_at}};
}

Result<Release> ReleaseFrom(const Doc& doc) {
  auto j = ParseJsonOrDiscard(doc.body);
  if (j.is_discarded() || !j.is_object()) {
    return Fail(ErrorCode::kInternal, "release " + doc.key + " does not parse");
  }
  Release r;
  r.id = j.value("id", "");
  r.number = j.value("number", int64_t{0});
  r.group = j.value("group", "");
  r.environment = j.value("environment", "");
  r.image = j.value("image", "");
  if (j.contains("user_data") && j["user_data"].is_string()) {
    r.user_data = j["user_data"].get<std::string>();
  }
  r.commit = j.value("commit", "");
  r.branch = j.value("branch", "");
  r.author = j.value("author", "");
  r.workflow_url = j.value("workflow_url", "");
  r.created_at = j.value("created_at", "");
  return r;
}

}  // namespace

bool IsFinal(const std::string& state) {
  return state == kSucceeded || state == kRolledBack || state == kFailed || state == kRejected ||
         state == kAborted;
}

nlohmann::json ReleaseJson(const Release& r) { return StoredJson(r); }

nlohmann::json DeploymentJson(const Deployment& d) {
  nlohmann::json j = StoredJson(d);
  for (const char* fleet : {"blue", "green"}) {
    nlohmann::json ids = nlohmann::json::array();
    for (const auto& m : j[fleet]) {
      ids.push_back(m["id"]);
    }
    j[fleet] = std::move(ids);
  }
  j.erase("number");
  j.erase("step_until");
  j["version"] = d.version;
  return j;
}

std::optional<int64_t> ParseId(const std::string& id, char prefix) {
  if (id.size() < 3 || id[0] != prefix || id[1] != '-') {
    return std::nullopt;
  }
  int64_t n = 0;
  const char* end = id.data() + id.size();
  auto [ptr, ec] = std::from_chars(id.data() + 2, end, n);
  if (ec != std::errc() || ptr != end || n <= 0) {
    return std::nullopt;
  }
  return n;
}

Result<Release> Releases::CreateRelease(Release r) {
  auto taken = TakeNextNumber(
      store_, clock_, {kHeads, kReleases},
      [&](int64_t number) -> Result<std::vector<DocWrite>> {
        r.number = number;
        r.id = fmt::format("r-{}", number);
        r.created_at = FormatIso8601(clock_.Now());
        return std::vector<DocWrite>{{kReleases, Key(number), StoredJson(r).dump(), 0}};
      },
      {.what = "releases"});
  EC2M_RETURN_IF_ERROR(taken);
  return r;
}

Result<Release> Releases::GetRelease(const std::string& id) {
  auto n = ParseId(id, 'r');
  if (!n) {
    return Fail(ErrorCode::kInvalidArgument,
                "" + ShownValue(id) + " is not a release id (r-<number>)");
  }
  auto doc = store_.GetDoc(kReleases, Key(*n));
  EC2M_RETURN_IF_ERROR(doc);
  if (!*doc) {
    return Fail(ErrorCode::kNotFound, "release " + id + " not found");
  }
  return ReleaseFrom(**doc);
}

Result<std::vector<Release>> Releases::ListReleases(int limit) {
  auto docs = store_.ListDocs(kReleases, {.limit = limit, .descending = true});
  EC2M_RETURN_IF_ERROR(docs);
  std::vector<Release> out;
  for (const Doc& doc : *docs) {
    auto r = ReleaseFrom(doc);
    if (!r) {
      // A damaged record does not hide the others; the log names it.
      std::fprintf(stderr, "ec2m: skipped %s\n", r.error().message.c_str());
      continue;
    }
    out.push_back(std::move(*r));
  }
  return out;
}

Result<Deployment> Releases::CreateDeployment(Deployment d) {
  auto taken = TakeNextNumber(store_, clock_, {kHeads, kDeployments},
                              [&](int64_t number) -> Result<std::vector<DocWrite>> {
                                d.number = number;
                                d.id = fmt::format("d-{}", number);
                                d.created_at = FormatIso8601(clock_.Now());
                                return std::vector<DocWrite>{
                                    {kDeployments, Key(number), StoredJson(d).dump(), 0},
                                    {kActive, Key(number), d.id, DocWrite::kAnyVersion}};
                              },
                              {.what = "deployments"});
  EC2M_RETURN_IF_ERROR(taken);
  d.version = taken->versions.front();
  return d;
}

Result<Deployment> Releases::GetDeployment(const std::string& id) {
  auto n = ParseId(id, 'd');
  if (!n) {
    return Fail(ErrorCode::kInvalidArgument,
                "" + ShownValue(id) + " is not a deployment id (d-<number>)");
  }
  auto doc = store_.GetDoc(kDeployments, Key(*n));
  EC2M_RETURN_IF_ERROR(doc);
  if (!*doc) {
    return Fail(ErrorCode::kNotFound, "deployment " + id + " not found");
  }
  return DeploymentFrom(**doc);
}

Result<Deployment> Releases::SaveDeployment(const Deployment& d) {
  std::vector<DocWrite> writes = {
      {kDeployments, Key(d.number), StoredJson(d).dump(), d.version},
      {kActive, Key(d.number), IsFinal(d.state) ? std::nullopt : std::optional<std::string>(d.id),
       DocWrite::kAnyVersion}};
  auto written = store_.WriteDocs(writes);
  EC2M_RETURN_IF_ERROR(written);
  Deployment saved = d;
  saved.version = written->front();
  return saved;
}

Result<std::vector<Deployment>> Releases::ListDeployments(const std::string& environment,
                                                          int limit) {
  std::vector<Deployment> out;
  std::string after;
  // Newest first; pages until `limit` of the environment are found.
  for (;;) {
    auto docs = store_.ListDocs(kDeployments, {.after = after, .limit = 200, .descending = true});
    EC2M_RETURN_IF_ERROR(docs);
    for (const Doc& doc : *docs) {
      auto d = DeploymentFrom(doc);
      if (!d) {
        std::fprintf(stderr, "ec2m: skipped %s\n", d.error().message.c_str());
        continue;
      }
      if (environment.empty() || d->environment == environment) {
        out.push_back(std::move(*d));
        if (static_cast<int>(out.size()) >= limit) {
          return out;
        }
      }
    }
    if (docs->size() < 200) {
      return out;
    }
    after = docs->back().key;
  }
}

Result<std::vector<Deployment>> Releases::ListActive() {
  auto active = store_.ListDocs(kActive, {});
  EC2M_RETURN_IF_ERROR(active);
  std::vector<Deployment> out;
  for (const Doc& doc : *active) {
    auto d = GetDeployment(doc.body);
    if (!d && d.error().code == ErrorCode::kNotFound) {
      continue;
    }
    EC2M_RETURN_IF_ERROR(d);
    out.push_back(std::move(*d));
  }
  return out;
}

}  // namespace ec2m::release
