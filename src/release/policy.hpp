#pragma once

#include <string>
#include <vector>

#include "config/environment.hpp"
#include "core/error.hpp"
#include "stack/provisioner.hpp"

// The sign-off rules a change to an environment is held to: whether it needs approval (the
// two-person rule), by how many approvers, and whether approving needs an MFA-verified session.
// The rules in force are those of the environment's config last applied (its last succeeded
// change set), else of the server's own file: never those of a config being proposed, so a
// change that lowers them is approved under the rules it would replace. Plain functions;
// thread-safe as the provisioner is.
namespace ec2m::release {

struct Policy {
  bool approval_required = false;  // approval.required
  int approvals = 0;               // approval.approvals when required, else 0
  bool mfa_required = false;       // cognito.mfaRequired
  // Where the rules come from: the change set ("cs-prod-4"), or "" for the server's file.
  std::string change_set;
};

// The rules `config` sets.
Policy PolicyOf(const config::EnvironmentConfig& config);

// An environment's config in force, parsed, with its rules.
struct InForce {
  config::EnvironmentConfig config;
  std::string text;
  Policy policy;  // PolicyOf(config), with the change set it comes from
};

// The config in force in `environment`: its last succeeded change set's, else the server's
// file (the first apply of an environment is held to its file's rules). Errors: kNotFound for
// an environment the provisioner does not manage; the store's errors; kInvalidArgument when the
// config in force no longer parses.
Result<InForce> ConfigInForce(stack::Provisioner& provisioner, const std::string& environment);

// What `proposed` lowers against `in_force`, one line each ("approval.required true → false",
// "approval.approvals 2 → 1", "cognito.mfaRequired true → false"); empty when it lowers nothing.
std::vector<std::string> Lowered(const Policy& in_force, const Policy& proposed);

}  // namespace ec2m::release
