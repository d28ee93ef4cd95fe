#include "stack/changesets.hpp"

#include <fmt/core.h>

#include <charconv>

#include "core/digest.hpp"
#include "core/json.hpp"
#include "core/sequence.hpp"
#include "core/text.hpp"

namespace ec2m::stack {
namespace {

constexpr const char* kChangeSets = "changesets";
constexpr const char* kSteps = "changeset_steps";
constexpr const char* kHeads = "changeset_heads";
constexpr const char* kLocks = "environment_locks";
constexpr int kMaxRaces = 50;

std::string Key(const std::string& environment, int64_t number) {
  return fmt::format("{}/{:012d}", environment, number);
}

std::string StepKey(const ChangeSet& cs, int seq) {
  return fmt::format("{}/{:06d}", Key(cs.environment, cs.number), seq);
}

nlohmann::json StepJson(const StepRecord& s) {
  return {{"seq", s.seq},       {"logical_id", s.logical_id},   {"action", s.action},
          {"status", s.status}, {"physical_id", s.physical_id}, {"error", s.error},
          {"at", s.at}};
}

// The stored document: everything but the journal.
nlohmann::json ToJson(const ChangeSet& cs) {
  return {{"id", cs.id},
          {"environment", cs.environment},
          {"number", cs.number},
          {"config_version", cs.config_version},
          {"author", cs.author},
          {"created_at", cs.created_at},
          {"config_text", cs.config_text},
          {"plan", cs.plan},
          {"status", cs.status},
          {"started_at", cs.started_at},
          {"finished_at", cs.finished_at},
          {"duration_ms", cs.duration_ms},
          {"result", cs.result},
          {"rollback_of", cs.rollback_of},
          {"deployment", cs.deployment},
          {"approval", cs.approval}};
}

Result<ChangeSet> FromDoc(const Doc& doc) {
  auto j = ParseJsonOrDiscard(doc.body);
  if (j.is_discarded() || !j.is_object()) {
    return Fail(ErrorCode::kInternal, "change set " + doc.key + " does not parse");
  }
  ChangeSet cs;
  cs.id = j.value("id", "");
  cs.environment = j.value("environment", "");
  cs.number = j.value("number", int64_t{0});
  cs.config_version = j.value("config_version", "");
  cs.deployment = j.value("deployment", "");
  cs.approval = j.value("approval", "");
  cs.author = j.value("author", "");
  cs.created_at = j.value("created_at", "");
  cs.config_text = j.value("config_text", "");
  cs.plan = j.value("plan", nlohmann::json());
  cs.status = j.value("status", "");
  cs.started_at = j.value("started_at", "");
  cs.finished_at = j.value("finished_at", "");
  cs.duration_ms = j.value("duration_ms", int64_t{0});
  cs.result = j.value("result", "");
  cs.rollback_of = j.value("rollback_of", "");
  cs.version = doc.version;
  return cs;
}

}  // namespace

Notification DeploymentNotification(const ChangeSet& cs) {
  // interrupted: the process stopped mid-apply (a resume finishes it as another outcome).
  const std::string status = cs.status == "succeeded" ? "success"
                             : cs.status == "failed"  ? "failure"
                                                      : "cancelled";
  const std::string what = cs.rollback_of.empty() ? "Deployment" : "Rollback";
  Notification n;
  n.id = fmt::format("deployment-{}-{}", cs.id, status);
  n.kind = "deployment";
  n.environment = cs.environment;
  n.severity = status == "success" ? "info" : cs.rollback_of.empty() ? "warning" : "critical";
  n.title = fmt::format("{} {} of {}: {}", what, cs.id, cs.environment, status);
  n.text = cs.result;
  n.fields = {{"environment", cs.environment},
              {"status", status},
              {"author", cs.author},
              {"change_set", cs.id},
              {"config_version", cs.config_version}};
  if (!cs.rollback_of.empty()) {
    n.fields["rollback_of"] = cs.rollback_of;
  }
  return n;
}

nlohmann::json ChangeSetJson(const ChangeSet& cs, bool full) {
  nlohmann::json out = ToJson(cs);
  out["summary"] = cs.plan.is_object() ? cs.plan.value("summary", nlohmann::json::object())
                                       : nlohmann::json::object();
  nlohmann::json journal = nlohmann::json::array();
  for (const StepRecord& s : cs.journal) {
    journal.push_back(StepJson(s));
  }
  out["journal"] = journal;
  if (!full) {
    out.erase("plan");
    out.erase("config_text");
  }
  return out;
}

std::optional<std::pair<std::string, int64_t>> ParseChangeSetId(const std::string& id) {
  const size_t dash = id.rfind('-');
  if (id.rfind("cs-", 0) != 0 || dash == std::string::npos || dash <= 3 || dash + 1 >= id.size()) {
    return std::nullopt;
  }
  int64_t number = 0;
  const char* first = id.data() + dash + 1;
  const char* last = id.data() + id.size();
  auto [end, ec] = std::from_chars(first, last, number);
  if (ec != std::errc() || end != last || number < 1) {
    return std::nullopt;
  }
  return std::pair(id.substr(3, dash - 3), number);
}

Result<ChangeSet> ChangeSets::Create(const std::string& environment, const std::string& author,
                                     const std::string& config_text, const nlohmann::json& plan,
                                     const std::string& rollback_of) {
  ChangeSet cs;
  cs.environment = environment;
  cs.config_version = Sha256Hex(config_text).substr(0, 12);
  cs.author = author;
  cs.config_text = config_text;
  cs.plan = plan;
  cs.rollback_of = rollback_of;
  auto taken = TakeNextNumber(
      store_, clock_, {kHeads, environment},
      [&](int64_t number) -> Result<std::vector<DocWrite>> {
        cs.number = number;
        cs.id = fmt::format("cs-{}-{}", environment, number);
        cs.created_at = FormatIso8601Millis(clock_.Now());
        return std::vector<DocWrite>{{kChangeSets, Key(environment, number), ToJson(cs).dump(), 0}};
      },
      {.max_races = kMaxRaces, .what = "change sets of " + environment});
  EC2M_RETURN_IF_ERROR(taken);
  cs.version = taken->versions.front();
  return cs;
}

Result<ChangeSet> ChangeSets::Get(const std::string& id) {
  auto parsed = ParseChangeSetId(id);
  if (!parsed) {
    return Fail(ErrorCode::kInvalidArgument,
                "" + ShownValue(id) + " is not a change set id (cs-<environment>-<number>)");
  }
  auto doc = store_.GetDoc(kChangeSets, Key(parsed->first, parsed->second));
  EC2M_RETURN_IF_ERROR(doc);
  if (!doc->has_value()) {
    return Fail(ErrorCode::kNotFound, "change set " + id + " not found");
  }
  auto cs = FromDoc(**doc);
  EC2M_RETURN_IF_ERROR(cs);
  DocQuery q;
  q.prefix = Key(cs->environment, cs->number) + "/";
  auto steps = store_.ListDocs(kSteps, q);
  EC2M_RETURN_IF_ERROR(steps);
  cs->journal.reserve(steps->size());
  for (const Doc& d : *steps) {
    auto s = ParseJsonOrDiscard(d.body);
    if (!s.is_object()) {
      return Fail(ErrorCode::kInternal, "journal entry " + d.key + " does not parse");
    }
    cs->journal.push_back({s.value("seq", 0), s.value("logical_id", ""), s.value("action", ""),
                           s.value("status", ""), s.value("physical_id", ""), s.value("error", ""),
                           s.value("at", "")});
  }
  return cs;
}

Result<void> ChangeSets::Record(const ChangeSet& cs, const StepRecord& step) {
  const std::vector<DocWrite> writes = {
      {kSteps, StepKey(cs, step.seq), StepJson(step).dump(), DocWrite::kAnyVersion}};
  EC2M_RETURN_IF_ERROR(store_.WriteDocs(writes));
  return {};
}

Result<ChangeSet> ChangeSets::Save(const ChangeSet& cs) {
  const std::vector<DocWrite> writes = {
      {kChangeSets, Key(cs.environment, cs.number), ToJson(cs).dump(), cs.version}};
  auto written = store_.WriteDocs(writes);
  EC2M_RETURN_IF_ERROR(written);
  ChangeSet saved = cs;
  saved.version = written->front();
  return saved;
}

Result<std::vector<ChangeSet>> ChangeSets::List(const std::string& environment, int limit,
                                                int64_t before) {
  if (limit < 1 || limit > 1000) {
    return Fail(ErrorCode::kInvalidArgument, fmt::format("limit: expected 1..1000, got {}", limit));
  }
  DocQuery q;
  q.prefix = environment + "/";
  q.descending = true;
  q.limit = limit;
  if (before > 0) {
    q.after = Key(environment, before);
  }
  auto docs = store_.ListDocs(kChangeSets, q);
  EC2M_RETURN_IF_ERROR(docs);
  std::vector<ChangeSet> out;
  for (const Doc& d : *docs) {
    auto cs = FromDoc(d);
    EC2M_RETURN_IF_ERROR(cs);
    out.push_back(std::move(*cs));
  }
  return out;
}

Result<std::optional<ChangeSet>> ChangeSets::LastSucceededAt(const std::string& environment,
                                                             TimePoint time) {
  const std::string cutoff = FormatIso8601Millis(time);
  int64_t before = 0;
  for (;;) {
    auto page = List(environment, 100, before);
    EC2M_RETURN_IF_ERROR(page);
    for (ChangeSet& cs : *page) {
      // ISO 8601 in UTC with milliseconds compares as text.
      if (cs.status == "succeeded" && cs.created_at <= cutoff) {
        return std::optional<ChangeSet>(std::move(cs));
      }
    }
    if (page->size() < 100) {
      return std::optional<ChangeSet>();
    }
    before = page->back().number;
  }
}

Result<std::optional<std::pair<LockInfo, int64_t>>> EnvironmentLocks::Read(
    const std::string& environment) {
  auto doc = store_.GetDoc(kLocks, environment);
  EC2M_RETURN_IF_ERROR(doc);
  if (!doc->has_value()) {
    return std::optional<std::pair<LockInfo, int64_t>>();
  }
  auto j = ParseJsonOrDiscard((*doc)->body);
  LockInfo info;
  info.owner = j.is_object() ? j.value("owner", "") : "";
  info.acquired_at = j.is_object() ? j.value("acquired_at", "") : "";
  const int64_t since = j.is_object() ? j.value("acquired_ms", int64_t{0}) : 0;
  const int64_t renewed = j.is_object() ? j.value("renewed_ms", since) : since;
  const int64_t now = ToUnixMillis(clock_.Now());
  info.age_seconds = (now - since) / 1000;
  info.idle_seconds = (now - renewed) / 1000;
  return std::optional(std::pair(info, (*doc)->version));
}

Result<std::optional<LockInfo>> EnvironmentLocks::Acquire(const std::string& environment,
                                                          const std::string& owner) {
  const TimePoint now = clock_.Now();
  const nlohmann::json body = {{"owner", owner},
                               {"acquired_at", FormatIso8601Millis(now)},
                               {"acquired_ms", ToUnixMillis(now)},
                               {"renewed_ms", ToUnixMillis(now)}};
  for (int race = 0; race < kMaxRaces; ++race) {
    auto held = Read(environment);
    EC2M_RETURN_IF_ERROR(held);
    std::optional<LockInfo> dead;
    int64_t expected = 0;
    if (*held) {
      const LockInfo& info = (*held)->first;
      // A live holder keeps it, unless it is the same owner come back (a restarted process
      // resuming its own work).
      if (std::chrono::seconds(info.idle_seconds) < lease_ && info.owner != owner) {
        return Fail(
            ErrorCode::kFailedPrecondition,
            fmt::format("environment {} is locked by {} since {} ({} s ago): one apply at a "
                        "time; `ec2m unlock {}` frees it if that apply is gone",
                        environment, info.owner, info.acquired_at, info.age_seconds, environment));
      }
      dead = info;
      expected = (*held)->second;
    }
    const std::vector<DocWrite> writes = {{kLocks, environment, body.dump(), expected}};
    auto written = store_.WriteDocs(writes);
    if (written) {
      return dead;
    }
    if (written.error().code != ErrorCode::kAlreadyExists &&
        written.error().code != ErrorCode::kFailedPrecondition) {
      return Fail(written.error());
    }
  }
  return Fail(ErrorCode::kUnavailable, "lock of " + environment + ": lost too many races");
}

Result<void> EnvironmentLocks::Renew(const std::string& environment, const std::string& owner) {
  auto doc = store_.GetDoc(kLocks, environment);
  EC2M_RETURN_IF_ERROR(doc);
  auto j = doc->has_value() ? ParseJsonOrDiscard((*doc)->body) : nlohmann::json();
  if (!j.is_object() || j.value("owner", "") != owner) {
    return Fail(ErrorCode::kFailedPrecondition,
                "the lock of " + environment + " is no longer held by " + owner);
  }
  j["renewed_ms"] = ToUnixMillis(clock_.Now());
  const std::vector<DocWrite> writes = {{kLocks, environment, j.dump(), (*doc)->version}};
  EC2M_RETURN_IF_ERROR(store_.WriteDocs(writes));
  return {};
}

Result<void> EnvironmentLocks::Release(const std::string& environment, const std::string& owner) {
  auto held = Read(environment);
  EC2M_RETURN_IF_ERROR(held);
  if (!*held || (*held)->first.owner != owner) {
    return {};
  }
  const std::vector<DocWrite> writes = {{kLocks, environment, std::nullopt, (*held)->second}};
  auto written = store_.WriteDocs(writes);
  if (!written && written.error().code != ErrorCode::kFailedPrecondition) {
    return Fail(written.error());
  }
  return {};
}

Result<std::optional<LockInfo>> EnvironmentLocks::Break(const std::string& environment) {
  auto held = Read(environment);
  EC2M_RETURN_IF_ERROR(held);
  if (!*held) {
    return std::optional<LockInfo>();
  }
  const std::vector<DocWrite> writes = {{kLocks, environment, std::nullopt}};
  EC2M_RETURN_IF_ERROR(store_.WriteDocs(writes));
  return std::optional<LockInfo>((*held)->first);
}

Result<std::optional<LockInfo>> EnvironmentLocks::Holder(const std::string& environment) {
  auto held = Read(environment);
  EC2M_RETURN_IF_ERROR(held);
  return *held ? std::optional<LockInfo>((*held)->first) : std::optional<LockInfo>();
}

}  // namespace ec2m::stack
