#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "core/clock.hpp"
#include "core/ec2.hpp"
#include "core/error.hpp"
#include "stack/actual.hpp"
#include "stack/changesets.hpp"
#include "stack/plan.hpp"
#include "stack/template.hpp"

// Carrying out a plan against the cloud. Creates, updates and the new halves of replacements run
// in dependency order, independent ones in parallel; then instances are waited for; then deletes
// (the old halves of replacements, what left the config) run dependents first. Every step is
// journaled when it starts and when it ends, and everything made is tagged at creation with its
// environment and logical id, so an apply killed at any moment leaves nothing the next plan
// cannot see: rerunning converges without duplicates or orphans. Instances launch with a
// ClientToken derived from the change set and the logical id, so a launch whose answer was lost
// is not repeated by a resume of the same change set.
namespace ec2m::stack {

struct ApplyOptions {
  int parallelism = 16;                                 // steps in flight at once
  std::chrono::milliseconds poll{100};                  // between state checks while waiting
  std::chrono::milliseconds wait_timeout{15 * 60'000};  // for instances to run or terminate
  bool wait_running = true;  // wait for launched instances to be running before deletes
  int first_seq = 1;         // of the first journal entry (a resumed apply continues its journal)
  // Called now and then while the apply works (every journal write and every wait): how the
  // caller keeps its lock's lease.
  std::function<void()> heartbeat;
};

struct ApplyReport {
  int steps = 0;            // journaled steps (waits included)
  int failed = 0;           // steps that failed
  int calls = 0;            // EC2 calls made
  std::string first_error;  // "InstanceWeb2: create: InsufficientInstanceCapacity: ..."
  bool ok() const { return failed == 0; }
};

// Called with every journal entry as it is written (from several threads, one at a time).
using JournalSink = std::function<Result<void>(const StepRecord&)>;

// "ec2m-" and 32 hex digits of SHA-256(change set id, logical id): the ClientToken of a launch.
std::string LaunchToken(const std::string& change_set_id, const std::string& logical_id);

// A logical id → the physical id it stands for ("" when none).
using PhysicalIdOf = std::function<std::string(const std::string&)>;
// `value` with every {"Ref": logical id} replaced by its physical id.
nlohmann::json ResolveRefs(const nlohmann::json& value, const PhysicalIdOf& physical_id);
// The RunInstances request that makes instance resource `r` of a template (its tags included,
// its references resolved), with ClientToken `client_token`: how an apply launches an instance
// and how a blue-green deployment launches its green fleet.
RunInstancesRequest InstanceLaunch(const Resource& r, const PhysicalIdOf& physical_id,
                                   const std::string& client_token);

// Applies `plan` (made from `desired` and `actual`) as change set `change_set_id`. Refused
// changes are skipped. A failed step stops new steps from starting (those in flight finish) and
// the deletes from running, so nothing is removed while its replacement is missing. Errors only
// when the journal cannot be written (the apply stops at once); a failed step is in the report.
Result<ApplyReport> Apply(Ec2& ec2, const Template& desired, const ActualState& actual,
                          const Plan& plan, const std::string& change_set_id,
                          const JournalSink& journal, const Clock& clock,
                          const ApplyOptions& options = {});

}  // namespace ec2m::stack
