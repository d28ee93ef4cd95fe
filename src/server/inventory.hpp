#pragma once

#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/environment.hpp"
#include "core/ec2.hpp"
#include "core/error.hpp"

// The instances of every environment, as ec2m shows and acts on them: a snapshot per environment
// refreshed from its cloud by a background loop and after every action, listed with filters, sort
// and cursors, and the actions themselves.
namespace ec2m::server {

// An environment's instances are those tagged Environment=<name> in its cloud.
inline constexpr const char* kEnvironmentTag = "Environment";

struct EnvironmentHandle {
  config::EnvironmentConfig config;
  Ec2* ec2 = nullptr;  // borrowed
};

// One row of the inventory.
struct InventoryItem {
  std::string env;
  Instance instance;
  // ItemToJson(*this).dump(), rendered once when the snapshot is made: a listing then costs
  // string appends, not a JSON document per request.
  std::string json;
};

struct InstanceFilter {
  std::set<std::string> visible;  // only these environments; empty: every environment
  std::string env;
  std::string state;  // EC2 state name
  std::string type;
  std::string zone;
  std::string tag_key;      // tag=Key=Value (or tag=Key: any value)
  std::string tag_value;    // empty: any value
  std::string text;         // q: case-insensitive substring of id, name, IPs, type, tags
  std::string sort = "id";  // id,name,state,type,zone,launch_time,env; "-" prefix = descending
  int limit = 100;          // 1..1000
  std::string cursor;       // from a previous page's next_cursor
};

// A page of a listing. The items point into the snapshot the page keeps alive, so a listing
// copies no instance.
struct InventoryPage {
  std::shared_ptr<const void> keep_alive;
  std::vector<const InventoryItem*> items;
  std::string next_cursor;  // empty on the last page
};

// The outcome of an action on one instance.
struct ActionResult {
  std::string id;
  bool ok = false;
  std::string previous_state;
  std::string state;
  Error error;  // when !ok
};

// Thread-safe. The Ec2s must outlive it.
class Inventory {
 public:
  // Told of every call to an environment's cloud: the environment and the EC2 error code of a
  // failure ("" on success). For metrics.
  using CallObserver = std::function<void(const std::string& env, const std::string& aws_code)>;

  explicit Inventory(std::vector<EnvironmentHandle> environments, CallObserver observer = {});
  ~Inventory();  // stops the loop

  const std::vector<EnvironmentHandle>& environments() const { return environments_; }
  const EnvironmentHandle* Find(const std::string& env) const;

  // Re-reads the instances of `env` (every environment when empty) from its cloud. An
  // environment whose cloud fails keeps its last snapshot; the first error is returned.
  Result<void> Refresh(const std::string& env = "");

  // Errors: kInvalidArgument naming the bad parameter (limit, sort, cursor, env).
  Result<InventoryPage> List(const InstanceFilter& filter) const;
  // The page as the REST API answers it: {"items":[...],"next_cursor":...}. Rendered once per
  // snapshot and filter, then shared (consoles and scripts poll the same listing over and over).
  Result<std::shared_ptr<const std::string>> ListJson(const InstanceFilter& filter) const;
  Result<InventoryItem> Get(const std::string& env, const std::string& id) const;
  // Counts by state name of one environment's snapshot.
  std::map<std::string, int> CountByState(const std::string& env) const;

  // start, stop, reboot or terminate `ids` of `env`, one call per instance so each gets its own
  // result (termination protection refuses only its instance). Refreshes the environment after.
  // Errors (whole request): kInvalidArgument for an unknown action or env, no ids, or > 100 ids.
  Result<std::vector<ActionResult>> Act(const std::string& env, const std::string& action,
                                        const std::vector<std::string>& ids);
  Result<InventoryItem> SetTags(const std::string& env, const std::string& id,
                                const std::map<std::string, std::string>& set,
                                const std::vector<std::string>& remove);

  // The reconciliation loop: Refresh() every `period` on a background thread until Stop().
  // Pause() makes it skip rounds until Resume() (for a leader hand-over or a backup), and returns
  // once no round is running.
  void Start(std::chrono::milliseconds period);
  void Pause();
  void Resume();
  void Stop();

 private:
  // Replaced whole, never changed: readers keep the one they took while the loop makes the next.
  struct Snapshot {
    std::vector<InventoryItem> items;         // sorted by (env, id)
    std::vector<const InventoryItem*> by_id;  // the same, sorted by (id, env): the default order
    // ListJson's pages of this snapshot by filter; emptied when it holds kMaxPages.
    mutable std::mutex pages_mu;
    mutable std::unordered_map<std::string, std::shared_ptr<const std::string>> pages;
  };
  static constexpr size_t kMaxPages = 256;
  Result<InventoryPage> ListIn(std::shared_ptr<const Snapshot> snapshot,
                               const InstanceFilter& filter) const;
  Result<std::vector<Instance>> Read(const EnvironmentHandle& env, const DescribeRequest& req);
  void Replace(const std::string& env, std::vector<Instance> instances);
  std::shared_ptr<const Snapshot> Current() const;

  // Reports one cloud call's outcome to the observer and passes it on.
  template <typename T>
  Result<T> Observed(const std::string& env, Result<T> result) const {
    if (observer_) {
      observer_(env, result ? std::string() : result.error().aws_code);
    }
    return result;
  }

  std::vector<EnvironmentHandle> environments_;
  CallObserver observer_;
  mutable std::mutex mu_;
  std::shared_ptr<const Snapshot> snapshot_;  // guarded by mu_; replaced, never changed
  // The loop
  std::mutex loop_mu_;
  std::condition_variable loop_cv_;
  bool stopping_ = false;  // guarded by loop_mu_
  bool paused_ = false;    // guarded by loop_mu_
  bool in_round_ = false;  // guarded by loop_mu_: a refresh of the loop is running
  std::thread loop_;
};

// The instance as the REST API shows it.
nlohmann::json ItemToJson(const InventoryItem& item);
std::string NameOf(const Instance& instance);

}  // namespace ec2m::server
