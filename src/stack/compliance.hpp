#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "config/environment.hpp"
#include "stack/template.hpp"

// The compliance rules `ec2m validate` runs, and every apply runs before it changes anything:
//   managed-by        every resource carries ManagedBy=ec2m, Environment and Service
//   ebs-encryption    every instance's volumes are encrypted
//   retain-in-prod    prod keeps its resources: removalPolicy RETAIN, termination protection on
//   no-literal-secrets no AWS access key ids and no literal passwords, secrets or tokens in the
//                     file; secrets come from environment variables or a 0600 secrets file
namespace ec2m::stack {

struct Finding {
  std::string rule;     // "ebs-encryption"
  std::string where;    // "config/prod.json: $.instanceGroups[0].volume.encrypted"
  std::string message;  // what is wrong and what to do
};

// The rules' names, in the order they run.
const std::vector<std::string>& ComplianceRules();

// Every violation of the rules by `env`, its template `t` and its file's text `text`; empty when
// compliant.
std::vector<Finding> CheckCompliance(const config::EnvironmentConfig& env, const Template& t,
                                     std::string_view text);

// Whether an environment is production (its resources are retained): "prod" or "production".
bool IsProduction(const std::string& environment);

}  // namespace ec2m::stack
