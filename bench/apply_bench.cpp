// apply_bench: the time of an apply that makes an environment of N instances from nothing (issue
// 5), as `ec2m serve` carries it out: Synth → ReadActual → MakePlan → a change set created in a
// SQLite store → stack::Apply against the EC2 endpoint (`ec2m sim serve`) with every step
// journaled through ChangeSets::Record into that store. Then a second apply that changes every
// instance's user data (N replacements: N launches, N terminations), then a plan that must be
// empty. Reports wall time, the phases read back from the journal's timestamps, EC2 calls by
// action and the journal's own cost. bench/apply_bench.sh runs it and the AWS CLI peer.
#include <fmt/core.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "cloud/aws/aws_ec2.hpp"
#include "config/environment.hpp"
#include "core/clock.hpp"
#include "core/random.hpp"
#include "endpoint.hpp"
#include "environment_config.hpp"
#include "flags.hpp"
#include "metered_ec2.hpp"
#include "stack/actual.hpp"
#include "stack/apply.hpp"
#include "stack/changesets.hpp"
#include "stack/plan.hpp"
#include "stack/template.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "timing.hpp"

namespace {

using ec2m::Result;
using ec2m::bench::Flags;
using ec2m::bench::MeteredEc2;
using ec2m::bench::SteadyClock;
using nlohmann::json;

constexpr const char* kUsage = R"(usage:
  apply_bench --endpoint URL [--instances N] [--parallelism P] [--journal sqlite|none]
              [--store-dir DIR]
      On an EC2 endpoint holding nothing of environment "bench", applies a config of N instances
      (default 1000) plus 17 network resources with P steps in flight (default 16, the apply's
      default), journaling every step into a SQLite store in DIR (default: a temp dir, removed
      afterwards; --journal none journals nowhere, to isolate the journal's cost). Then applies
      the same config with every instance's user data changed (N replacements), then checks that
      a fresh plan is empty.
Prints {"instances","resources","parallelism","journal","create": {...},"replace_all": {...},
        "final_plan": {...},"store_bytes"}.
Exit status: 0 done, 1 a step failed, a plan was not what was expected or the final plan was not
empty, 2 bad usage.
)";

constexpr double kSlowWriteMs = 5;

double MsSince(SteadyClock::time_point start) {
  return std::chrono::duration<double, std::milli>(SteadyClock::now() - start).count();
}

// "2026-11-27T10:00:00.123Z" (FormatIso8601Millis) → milliseconds since the epoch; 0 if malformed.
// What the journal sink saw of one apply: every entry (in the order written) and what writing
// them cost. Filled by one apply's sink, which the apply calls one entry at a time.
struct JournalLog {
  std::vector<ec2m::stack::StepRecord> entries;
  double write_ms = 0;
  double max_write_ms = 0;
  int slow_writes = 0;  // over kSlowWriteMs: a WAL checkpoint, every worker waiting on it
};

// The phase a journaled step belongs to.
std::string PhaseOf(const ec2m::stack::StepRecord& r, const ec2m::stack::Template& desired) {
  if (r.action.rfind("wait ", 0) == 0) {
    return r.action == "wait running" ? "wait_running" : "wait_terminated";
  }
  if (r.action == "delete") {
    return "deletes";
  }
  const ec2m::stack::Resource* res = desired.Find(r.logical_id);
  return res != nullptr && res->type == "AWS::EC2::Instance" ? "launches" : "network";
}

// Per phase, from the journal's timestamps (milliseconds): how many steps, the span from the
// first step's start to the last one's end, and the steps' own durations (start to end, which
// includes waiting for the journal).
json PhasesOf(const JournalLog& log, const ec2m::stack::Template& desired) {
  struct Span {
    int64_t first = 0;
    int64_t last = 0;
    std::vector<double> step_ms;
  };
  std::map<int, int64_t> started;  // by seq: when the step began
  std::map<std::string, Span> phases;
  for (const auto& r : log.entries) {
    const int64_t at = ec2m::ToUnixMillis(ec2m::ParseIso8601(r.at).value_or(ec2m::TimePoint{}));
    if (r.status == "pending") {
      started[r.seq] = at;
      continue;
    }
    auto it = started.find(r.seq);
    if (it == started.end()) {
      continue;
    }
    Span& span = phases[PhaseOf(r, desired)];
    const int64_t begin = it->second;
    span.first = span.step_ms.empty() ? begin : std::min(span.first, begin);
    span.last = std::max(span.last, at);
    span.step_ms.push_back(static_cast<double>(at - begin));
  }
  json out = json::object();
  for (auto& [name, span] : phases) {
    std::sort(span.step_ms.begin(), span.step_ms.end());
    out[name] = {{"steps", span.step_ms.size()},
                 {"span_s", static_cast<double>(span.last - span.first) / 1000.0},
                 {"step_p50_ms", ec2m::bench::Percentile(span.step_ms, 0.5)},
                 {"step_max_ms", span.step_ms.back()}};
  }
  return out;
}

// What every apply needs: where it reads, applies and journals.
struct Bench {
  ec2m::Ec2& ec2;  // plans read through it directly
  MeteredEc2& metered;
  ec2m::stack::ChangeSets* change_sets;  // nullptr: --journal none
  const ec2m::Clock& clock;
  ec2m::stack::ApplyOptions options;
};

// One plan: the cloud read, then compared with `desired`.
struct Planned {
  ec2m::stack::ActualState actual;
  ec2m::stack::Plan plan;
  json figures;
};

Result<Planned> PlanOf(Bench& b, const ec2m::stack::Template& desired) {
  const auto start = SteadyClock::now();
  auto actual = ec2m::stack::ReadActual(b.ec2, "bench");
  EC2M_RETURN_IF_ERROR(actual);
  const double read_ms = MsSince(start);
  const auto compare = SteadyClock::now();
  ec2m::stack::Plan plan = ec2m::stack::MakePlan(desired, *actual);
  json figures = {{"read_ms", read_ms},
                  {"compare_ms", MsSince(compare)},
                  {"describe_calls", actual->calls},
                  {"found", actual->resources.size()},
                  {"changes", plan.changes.size()},
                  {"creates", plan.Count(ec2m::stack::ChangeKind::kCreate)},
                  {"replaces", plan.Count(ec2m::stack::ChangeKind::kReplace)},
                  {"updates", plan.Count(ec2m::stack::ChangeKind::kUpdate)},
                  {"deletes", plan.Count(ec2m::stack::ChangeKind::kDelete)}};
  return Planned{std::move(*actual), std::move(plan), std::move(figures)};
}

// The change set an apply journals into, as the server makes it (created, then marked
// applying); an id alone with --journal none.
Result<ec2m::stack::ChangeSet> OpenChangeSet(Bench& b, const std::string& config_text,
                                             const ec2m::stack::Plan& plan, int number) {
  if (b.change_sets == nullptr) {
    ec2m::stack::ChangeSet cs;
    cs.id = fmt::format("cs-bench-{}", number);
    return cs;
  }
  auto cs = b.change_sets->Create("bench", "apply_bench", config_text, plan.ToJson());
  EC2M_RETURN_IF_ERROR(cs);
  cs->status = "applying";
  cs->started_at = ec2m::FormatIso8601Millis(b.clock.Now());
  return b.change_sets->Save(*cs);
}

// One apply as run: its report, what its journal sink saw, and its cost.
struct Applied {
  ec2m::stack::ApplyReport report;
  JournalLog log;
  double wall_ms = 0;
  double cpu_s = 0;  // of this process (the apply's threads, the client, the journal)
  // Steps the store holds for the change set afterwards (a step's end replaces its start).
  int64_t journal_read_back = -1;
};

// Applies `planned` as change set `cs`, journaling every step through ChangeSets::Record (as
// the server's sink does) and timing each write, then marks the change set as the server does
// and reads its journal back.
Result<Applied> ApplyJournaled(Bench& b, const ec2m::stack::Template& desired,
                               const Planned& planned, ec2m::stack::ChangeSet& cs) {
  Applied a;
  ec2m::stack::JournalSink sink = [&](const ec2m::stack::StepRecord& r) -> Result<void> {
    const auto start = SteadyClock::now();
    if (b.change_sets != nullptr) {
      EC2M_RETURN_IF_ERROR(b.change_sets->Record(cs, r));
    }
    const double ms = MsSince(start);
    a.log.write_ms += ms;
    a.log.max_write_ms = std::max(a.log.max_write_ms, ms);
    a.log.slow_writes += ms > kSlowWriteMs ? 1 : 0;
    a.log.entries.push_back(r);
    return {};
  };
  const std::clock_t cpu_start = std::clock();
  const auto start = SteadyClock::now();
  auto report = ec2m::stack::Apply(b.metered, desired, planned.actual, planned.plan, cs.id, sink,
                                   b.clock, b.options);
  a.wall_ms = MsSince(start);
  a.cpu_s = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
  EC2M_RETURN_IF_ERROR(report);
  a.report = *report;
  if (b.change_sets != nullptr) {
    cs.status = report->ok() ? "succeeded" : "failed";
    cs.finished_at = ec2m::FormatIso8601Millis(b.clock.Now());
    EC2M_RETURN_IF_ERROR(b.change_sets->Save(cs));
    auto stored = b.change_sets->Get(cs.id);
    EC2M_RETURN_IF_ERROR(stored);
    a.journal_read_back = static_cast<int64_t>(stored->journal.size());
  }
  return a;
}

json ApplyJson(const Applied& a, const ec2m::stack::Template& desired, size_t changes,
               const std::map<std::string, MeteredEc2::Stat>& stats) {
  json by_action = json::object();
  int64_t metered = 0;
  for (const auto& [action, s] : stats) {
    by_action[action] = {{"calls", s.calls}, {"ms_sum", std::round(s.ms * 10) / 10}};
    metered += s.calls;
  }
  const auto writes = static_cast<double>(a.log.entries.size());
  return {{"wall_s", a.wall_ms / 1000.0},
          {"cpu_s", a.cpu_s},
          {"steps", a.report.steps},
          {"failed", a.report.failed},
          {"first_error", a.report.first_error},
          {"calls", a.report.calls},
          {"calls_metered", metered},
          {"calls_per_changed_resource",
           changes > 0 ? a.report.calls / static_cast<double>(changes) : 0.0},
          {"calls_by_action", by_action},
          {"phases", PhasesOf(a.log, desired)},
          {"journal",
           {{"writes", a.log.entries.size()},
            {"read_back", a.journal_read_back},
            {"total_ms", a.log.write_ms},
            {"mean_ms", writes > 0 ? a.log.write_ms / writes : 0.0},
            {"max_ms", a.log.max_write_ms},
            {"over_5ms", a.log.slow_writes},
            {"share_of_wall", a.wall_ms > 0 ? a.log.write_ms / a.wall_ms : 0.0}}}};
}

// Plans `desired` and applies the plan; `expected_changes` is what the plan must hold.
// Returns the figures, with "ok": false when the plan or a step was not as expected.
Result<json> PlanAndApply(Bench& b, const ec2m::stack::Template& desired,
                          const std::string& config_text, size_t expected_changes, int number) {
  auto planned = PlanOf(b, desired);
  EC2M_RETURN_IF_ERROR(planned);
  const auto cs_start = SteadyClock::now();
  auto cs = OpenChangeSet(b, config_text, planned->plan, number);
  EC2M_RETURN_IF_ERROR(cs);
  const double cs_ms = MsSince(cs_start);
  (void)b.metered.Take();
  auto applied = ApplyJournaled(b, desired, *planned, *cs);
  EC2M_RETURN_IF_ERROR(applied);
  const size_t changes = planned->plan.changes.size();
  const bool journaled =
      b.change_sets == nullptr || applied->journal_read_back == applied->report.steps;
  return json{{"ok", applied->report.ok() && changes == expected_changes && journaled},
              {"plan", planned->figures},
              {"change_set_ms", cs_ms},
              {"apply", ApplyJson(*applied, desired, changes, b.metered.Take().by_action)}};
}

Result<ec2m::stack::Template> Synth(const std::string& config_text) {
  auto env = ec2m::config::ParseEnvironmentConfig(config_text, "bench");
  EC2M_RETURN_IF_ERROR(env);
  return ec2m::stack::Synth(*env);
}

// Creates the environment, replaces every instance, checks the final plan; the program's JSON.
Result<json> Measure(Bench& b, int instances) {
  const std::string v1 =
      ec2m::bench::EnvironmentConfigText(instances, "t3.micro", "#!/bin/sh\necho apply-bench v1\n");
  const std::string v2 =
      ec2m::bench::EnvironmentConfigText(instances, "t3.micro", "#!/bin/sh\necho apply-bench v2\n");
  auto first = Synth(v1);
  EC2M_RETURN_IF_ERROR(first);
  auto second = Synth(v2);
  EC2M_RETURN_IF_ERROR(second);
  const size_t resources = first->resources.size();
  std::fprintf(stderr, "apply_bench: creating %zu resources (%d instances), %d in flight\n",
               resources, instances, b.options.parallelism);
  auto create = PlanAndApply(b, *first, v1, resources, 1);
  EC2M_RETURN_IF_ERROR(create);
  std::fprintf(stderr, "apply_bench: replacing the %d instances\n", instances);
  auto replace = PlanAndApply(b, *second, v2, static_cast<size_t>(instances), 2);
  EC2M_RETURN_IF_ERROR(replace);
  auto final_plan = PlanOf(b, *second);
  EC2M_RETURN_IF_ERROR(final_plan);
  return json{
      {"instances", instances}, {"resources", resources},  {"parallelism", b.options.parallelism},
      {"create", *create},      {"replace_all", *replace}, {"final_plan", final_plan->figures}};
}

int Run(Flags flags) {
  std::string problem;
  double instances = 1000;
  double parallelism = 16;
  if (!ec2m::bench::TakeNumber(flags, "instances", instances, problem) ||
      !ec2m::bench::TakeNumber(flags, "parallelism", parallelism, problem)) {
    return ec2m::bench::UsageError("apply_bench", kUsage, problem);
  }
  ec2m::bench::EndpointConfig endpoint;
  endpoint.url = ec2m::bench::Take(flags, "endpoint", "");
  const std::string journal = ec2m::bench::Take(flags, "journal", "sqlite");
  std::string store_dir = ec2m::bench::Take(flags, "store-dir", "");
  if (endpoint.url.empty() || !flags.empty() || (journal != "sqlite" && journal != "none")) {
    return ec2m::bench::UsageError("apply_bench", kUsage,
                                   "--endpoint is required; --journal is sqlite or none");
  }
  const bool own_dir = store_dir.empty();
  if (own_dir) {
    std::string tmpl = (std::filesystem::temp_directory_path() / "ec2m-apply-bench.XXXXXX");
    if (mkdtemp(tmpl.data()) == nullptr) {
      std::fprintf(stderr, "apply_bench: cannot make a temp dir\n");
      return 1;
    }
    store_dir = tmpl;
  }
  const std::string db = store_dir + "/ec2m.db";
  auto store = ec2m::store::SqliteStore::Open(db);
  if (!store) {
    std::fprintf(stderr, "apply_bench: %s\n", store.error().ToString().c_str());
    return 1;
  }
  ec2m::SystemClock clock;
  ec2m::DefaultRandom random;
  ec2m::aws::AwsEc2 ec2(ec2m::bench::Ec2Options(endpoint), clock, random);
  MeteredEc2 metered(ec2);
  ec2m::stack::ChangeSets change_sets(**store, clock);
  Bench bench{ec2, metered, journal == "sqlite" ? &change_sets : nullptr, clock, {}};
  bench.options.parallelism = static_cast<int>(parallelism);
  auto out = Measure(bench, static_cast<int>(instances));
  store->reset();
  std::error_code ec;
  uintmax_t bytes = 0;
  for (const char* suffix : {"", "-wal", "-shm"}) {
    const uintmax_t size = std::filesystem::file_size(db + suffix, ec);
    bytes += ec ? 0 : size;
  }
  if (own_dir) {
    std::filesystem::remove_all(store_dir, ec);
  }
  if (!out) {
    std::fprintf(stderr, "apply_bench: %s\n", out.error().ToString().c_str());
    return 1;
  }
  (*out)["journal"] = journal;
  (*out)["store_bytes"] = bytes;
  std::printf("%s\n", out->dump().c_str());
  const bool ok = (*out)["create"]["ok"].get<bool>() && (*out)["replace_all"]["ok"].get<bool>() &&
                  (*out)["final_plan"]["changes"].get<int>() == 0;
  if (!ok) {
    std::fprintf(stderr, "apply_bench: a step failed, or a plan was not as expected (above)\n");
  }
  return ok ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  return ec2m::bench::FlagsMain(argc, argv, "apply_bench", kUsage, Run);
}
