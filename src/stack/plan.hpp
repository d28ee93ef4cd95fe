#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "stack/actual.hpp"
#include "stack/template.hpp"

// A plan: what applying a template would do to what the cloud holds. Per resource: create,
// update in place, replace (a new one, then the old one deleted) or delete; replacements and
// deletions are destructive, and deleting a retained resource is refused unless allowed.
namespace ec2m::stack {

enum class ChangeKind { kCreate, kUpdate, kReplace, kDelete };
std::string_view ChangeKindName(ChangeKind kind);  // "create", "update", "replace", "delete"

struct PropertyChange {
  std::string property;  // "InstanceType", "Tags", "UserData or BlockDeviceMappings"
  nlohmann::json from;   // null when unknown (a hashed property)
  nlohmann::json to;     // "(known after apply)" for a reference to a resource not made yet
  bool replaces = false;
};

struct Change {
  ChangeKind kind = ChangeKind::kCreate;
  std::string logical_id;
  std::string type;
  std::string name;         // the physical name (empty for a delete of something unknown)
  std::string physical_id;  // of the existing resource: update, replace, delete
  std::vector<PropertyChange> properties;
  std::string reason;  // delete: "not in the config", "a duplicate of i-..."
  bool destructive = false;
  bool refused = false;  // deleting a RETAIN resource without allow_retained_deletes
};

struct PlanOptions {
  bool allow_retained_deletes = false;  // the explicit override of RemovalPolicy RETAIN
};

struct Plan {
  std::string environment;
  std::vector<Change> changes;  // creates/updates/replaces in dependency order, then deletes
  int unchanged = 0;

  bool empty() const { return changes.empty(); }
  bool refused() const;
  int Count(ChangeKind kind) const;
  nlohmann::json ToJson() const;
  // Terraform-like lines: "+ create", "~ update", "-/+ replace", "- delete", "! refused".
  std::string Render() const;
};

Plan MakePlan(const Template& desired, const ActualState& actual, const PlanOptions& options = {});

}  // namespace ec2m::stack
