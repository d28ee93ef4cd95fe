#include "release/policy.hpp"

#include <fmt/core.h>

namespace ec2m::release {

Policy PolicyOf(const config::EnvironmentConfig& config) {
  Policy p;
  p.approval_required = config.approval.required;
  p.approvals = config.approval.required ? config.approval.approvals : 0;
  p.mfa_required = config.mfa_required;
  return p;
}

Result<InForce> ConfigInForce(stack::Provisioner& provisioner, const std::string& environment) {
  if (!provisioner.Has(environment)) {
    return Fail(ErrorCode::kNotFound, "environment " + environment + " not found");
  }
  auto current = provisioner.CurrentConfig(environment);
  EC2M_RETURN_IF_ERROR(current);
  auto parsed = config::ParseEnvironmentConfig(current->first, "config/" + environment + ".json");
  EC2M_RETURN_IF_ERROR(parsed);
  Policy policy = PolicyOf(*parsed);
  policy.change_set = current->second;
  return InForce{std::move(*parsed), std::move(current->first), std::move(policy)};
}

std::vector<std::string> Lowered(const Policy& in_force, const Policy& proposed) {
  std::vector<std::string> out;
  if (in_force.approval_required && !proposed.approval_required) {
    out.emplace_back("approval.required true → false");
  } else if (proposed.approval_required && proposed.approvals < in_force.approvals) {
    out.push_back(
        fmt::format("approval.approvals {} → {}", in_force.approvals, proposed.approvals));
  }
  if (in_force.mfa_required && !proposed.mfa_required) {
    out.emplace_back("cognito.mfaRequired true → false");
  }
  return out;
}

}  // namespace ec2m::release
