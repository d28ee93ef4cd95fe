#include "stack/compliance.hpp"
#include "core/json.hpp"

#include <fmt/core.h>

#include <regex>

namespace ec2m::stack {
namespace {

// An AWS access key id: AKIA (long-term) or ASIA (temporary) and 16 upper-case letters/digits.
const std::regex& AccessKeyPattern() {
  static const std::regex re("(AKIA|ASIA)[A-Z0-9]{16}");
  return re;
}

// "password=hunter2", "DB_SECRET: abc", "token = 'x'": a secret-looking name given a literal
// value. A value that is a reference ("${DB_PASSWORD}", "$DB_PASSWORD") is fine.
const std::regex& LiteralSecretPattern() {
  static const std::regex re(
      R"((password|passwd|secret|token|api[_-]?key)[A-Za-z0-9_]*\s*[:=]\s*["']?([^\s"'$][^\s"']*))",
      std::regex::icase);
  return re;
}

// Walks every string of the document with its JSON path.
void Strings(const nlohmann::json& j, const std::string& path,
             const std::function<void(const std::string&, const std::string&)>& visit) {
  if (j.is_string()) {
    visit(path, j.get<std::string>());
  } else if (j.is_object()) {
    for (const auto& [k, v] : j.items()) {
      Strings(v, path + "." + k, visit);
    }
  } else if (j.is_array()) {
    for (size_t i = 0; i < j.size(); ++i) {
      Strings(j[i], fmt::format("{}[{}]", path, i), visit);
    }
  }
}

}  // namespace

bool IsProduction(const std::string& environment) {
  return environment == "prod" || environment == "production";
}

const std::vector<std::string>& ComplianceRules() {
  static const std::vector<std::string> kRules = {"managed-by", "ebs-encryption", "retain-in-prod",
                                                  "no-literal-secrets"};
  return kRules;
}

std::vector<Finding> CheckCompliance(const config::EnvironmentConfig& env, const Template& t,
                                     std::string_view text) {
  std::vector<Finding> out;
  auto at = [&env](const std::string& path) { return env.file + ": " + path; };
  for (const Resource& r : t.resources) {
    for (const auto& [key, want] : {std::pair<std::string, std::string>{"ManagedBy", kManagedBy},
                                    {"Environment", env.name},
                                    {"Service", env.service}}) {
      auto it = r.tags.find(key);
      if (it == r.tags.end() || it->second != want) {
        out.push_back(
            {"managed-by", at(r.source),
             fmt::format("{} ({}) lacks the tag {}={}", r.logical_id, r.type, key, want)});
      }
    }
  }
  for (size_t i = 0; i < env.instance_groups.size(); ++i) {
    const auto& g = env.instance_groups[i];
    if (!g.volume.encrypted) {
      out.push_back({"ebs-encryption", at(fmt::format("$.instanceGroups[{}].volume.encrypted", i)),
                     "instance group " + g.name +
                         " has unencrypted EBS volumes; set encrypted to true (or leave it out)"});
    }
  }
  if (IsProduction(env.name)) {
    if (!env.retain()) {
      out.push_back({"retain-in-prod", at("$.removalPolicy"),
                     "a production environment keeps its resources: removalPolicy must be RETAIN, "
                     "got " +
                         env.removal_policy});
    }
    for (size_t i = 0; i < env.instance_groups.size(); ++i) {
      const auto& g = env.instance_groups[i];
      if (g.termination_protection == false) {
        out.push_back({"retain-in-prod",
                       at(fmt::format("$.instanceGroups[{}].terminationProtection", i)),
                       "instance group " + g.name +
                           " turns termination protection off in production; remove the setting"});
      }
    }
  }
  auto doc = ParseJsonOrDiscard(text);
  if (!doc.is_discarded()) {
    Strings(doc, "$", [&](const std::string& path, const std::string& value) {
      std::smatch m;
      if (std::regex_search(value, m, AccessKeyPattern())) {
        out.push_back({"no-literal-secrets", at(path),
                       "holds an AWS access key id (" + m.str().substr(0, 4) +
                           "...): credentials come from the AWS profile, never from a config"});
      } else if (std::regex_search(value, m, LiteralSecretPattern())) {
        out.push_back({"no-literal-secrets", at(path),
                       "assigns a literal value to " + m[1].str() +
                           ": write ${NAME} and give NAME through the environment or the 0600 "
                           "secrets file"});
      }
    });
  }
  return out;
}

}  // namespace ec2m::stack
