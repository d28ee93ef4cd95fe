#include "stack/plan.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <map>
#include <set>

namespace ec2m::stack {
namespace {

constexpr const char* kKnownAfterApply = "(known after apply)";

// What a property of each type compares and whether a change to it replaces the resource.
struct Compared {
  const char* property;
  bool replaces;
};
const std::vector<Compared>& ComparedProperties(const std::string& type) {
  static const std::map<std::string, std::vector<Compared>> kTable = {
      {"AWS::EC2::VPC", {{"CidrBlock", true}}},
      {"AWS::EC2::Subnet", {{"VpcId", true}, {"CidrBlock", true}, {"AvailabilityZone", true}}},
      {"AWS::EC2::SecurityGroup",
       {{"GroupName", true},
        {"GroupDescription", true},
        {"VpcId", true},
        {"SecurityGroupIngress", false}}},
      {"AWS::EC2::Instance",
       {{"ImageId", true},
        {"SubnetId", true},
        {"SecurityGroupIds", true},
        {"InstanceType", false}}},
  };
  static const std::vector<Compared> kNone;
  auto it = kTable.find(type);
  return it == kTable.end() ? kNone : it->second;
}

// Deletes run dependents first: instances, then security groups, subnets, VPCs.
int DeleteRank(const std::string& type) {
  if (type == "AWS::EC2::Instance") {
    return 0;
  }
  if (type == "AWS::EC2::SecurityGroup") {
    return 1;
  }
  return type == "AWS::EC2::Subnet" ? 2 : 3;
}

// `value` with every {"Ref": id} replaced by the physical id known for it, or kKnownAfterApply.
nlohmann::json Resolve(const nlohmann::json& value, const std::map<std::string, std::string>& ids) {
  if (value.is_object() && value.size() == 1 && value.contains("Ref")) {
    auto it = ids.find(value["Ref"].get<std::string>());
    return it == ids.end() ? nlohmann::json(kKnownAfterApply) : nlohmann::json(it->second);
  }
  if (value.is_object()) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [k, v] : value.items()) {
      out[k] = Resolve(v, ids);
    }
    return out;
  }
  if (value.is_array()) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& v : value) {
      out.push_back(Resolve(v, ids));
    }
    return out;
  }
  return value;
}

// Lists whose order means nothing (rules, group ids) compare sorted.
nlohmann::json Canonical(const std::string& property, nlohmann::json value) {
  if ((property == "SecurityGroupIngress" || property == "SecurityGroupIds") && value.is_array()) {
    std::vector<nlohmann::json> items(value.begin(), value.end());
    std::sort(items.begin(), items.end(),
              [](const nlohmann::json& a, const nlohmann::json& b) { return a.dump() < b.dump(); });
    return items;
  }
  return value;
}

// The tags a plan compares: the user's and ec2m's own, without AWS's, the hash tags and
// provenance.
std::map<std::string, std::string> PlainTags(const std::map<std::string, std::string>& tags) {
  std::map<std::string, std::string> out;
  for (const auto& [k, v] : tags) {
    if (k.rfind("aws:", 0) != 0 && k != kSpecTag && k != kSettingsTag && k != kDeploymentTag &&
        k != kReleaseTag) {
      out[k] = v;
    }
  }
  return out;
}

std::string TagValue(const std::map<std::string, std::string>& tags, const std::string& key) {
  auto it = tags.find(key);
  return it == tags.end() ? "" : it->second;
}

std::string Joined(const std::vector<std::string>& items, const char* separator) {
  std::string out;
  for (const auto& i : items) {
    out += (out.empty() ? "" : separator) + i;
  }
  return out;
}

// What changes between `want` (refs resolved through `ids`) and `have`.
std::vector<PropertyChange> Differences(const Resource& want, const Found& have,
                                        const std::map<std::string, std::string>& ids) {
  std::vector<PropertyChange> out;
  for (const Compared& c : ComparedProperties(want.type)) {
    const nlohmann::json to = Canonical(c.property, want.properties.contains(c.property)
                                                        ? Resolve(want.properties[c.property], ids)
                                                        : nlohmann::json());
    const nlohmann::json from =
        Canonical(c.property, have.properties.contains(c.property) ? have.properties[c.property]
                                                                   : nlohmann::json());
    if (to != from) {
      out.push_back({c.property, from, to, c.replaces});
    }
  }
  if (TagValue(want.tags, kSpecTag) != TagValue(have.tags, kSpecTag)) {
    out.push_back({Joined(SpecProperties(want.type), " or "), nullptr, "changed", true});
  }
  if (TagValue(want.tags, kSettingsTag) != TagValue(have.tags, kSettingsTag)) {
    out.push_back({Joined(SettingsProperties(want.type), " or "), nullptr, "changed", false});
  }
  const auto want_tags = PlainTags(want.tags);
  const auto have_tags = PlainTags(have.tags);
  if (want_tags != have_tags) {
    nlohmann::json from = nlohmann::json::object();
    nlohmann::json to = nlohmann::json::object();
    for (const auto& [k, v] : have_tags) {
      if (TagValue(want_tags, k) != v || !want_tags.count(k)) {
        from[k] = v;
      }
    }
    for (const auto& [k, v] : want_tags) {
      if (TagValue(have_tags, k) != v || !have_tags.count(k)) {
        to[k] = v;
      }
    }
    out.push_back({"Tags", from, to, false});
  }
  return out;
}

std::string Shown(const nlohmann::json& v) {
  if (v.is_null()) {
    return "(not readable)";
  }
  return v.is_string() ? v.get<std::string>() : v.dump();
}

}  // namespace

std::string_view ChangeKindName(ChangeKind kind) {
  switch (kind) {
    case ChangeKind::kCreate:
      return "create";
    case ChangeKind::kUpdate:
      return "update";
    case ChangeKind::kReplace:
      return "replace";
    case ChangeKind::kDelete:
      return "delete";
  }
  return "?";
}

bool Plan::refused() const {
  return std::any_of(changes.begin(), changes.end(), [](const Change& c) { return c.refused; });
}

int Plan::Count(ChangeKind kind) const {
  return static_cast<int>(std::count_if(changes.begin(), changes.end(),
                                        [kind](const Change& c) { return c.kind == kind; }));
}

Plan MakePlan(const Template& desired, const ActualState& actual, const PlanOptions& options) {
  Plan plan;
  plan.environment = desired.environment;
  std::map<std::string, std::vector<const Found*>> found;
  for (const Found& f : actual.resources) {
    found[f.logical_id].push_back(&f);
  }
  std::map<std::string, std::string> ids;  // logical → physical, for resources that stay
  std::vector<Change> deletes;
  for (const Resource& want : desired.resources) {
    auto it = found.find(want.logical_id);
    std::vector<const Found*> matches;
    if (it != found.end()) {
      for (const Found* f : it->second) {
        if (f->type == want.type) {
          matches.push_back(f);
        }
      }
    }
    if (matches.empty()) {
      plan.changes.push_back(
          {ChangeKind::kCreate, want.logical_id, want.type, want.name, "", {}, "", false, false});
      continue;
    }
    // One found is kept: the one closest to the config (the new half of a replacement an
    // interrupted apply made, rather than the old one), else the first. More than one (an
    // interrupted replacement, a copy made by hand) are duplicates, deleted.
    size_t keep = 0;
    std::vector<PropertyChange> diff = Differences(want, *matches[0], ids);
    for (size_t i = 1; i < matches.size() && !diff.empty(); ++i) {
      std::vector<PropertyChange> other = Differences(want, *matches[i], ids);
      if (other.size() < diff.size()) {
        keep = i;
        diff = std::move(other);
      }
    }
    const Found& have = *matches[keep];
    for (size_t i = 0; i < matches.size(); ++i) {
      if (i == keep) {
        continue;
      }
      deletes.push_back({ChangeKind::kDelete,
                         want.logical_id,
                         want.type,
                         "",
                         matches[i]->physical_id,
                         {},
                         "a duplicate of " + have.physical_id,
                         true,
                         false});
    }
    if (diff.empty()) {
      ids[want.logical_id] = have.physical_id;
      ++plan.unchanged;
      continue;
    }
    const bool replace =
        std::any_of(diff.begin(), diff.end(), [](const PropertyChange& p) { return p.replaces; });
    if (!replace) {
      ids[want.logical_id] = have.physical_id;
    }
    Change c{replace ? ChangeKind::kReplace : ChangeKind::kUpdate,
             want.logical_id,
             want.type,
             want.name,
             have.physical_id,
             std::move(diff),
             "",
             replace,
             false};
    if (replace && want.retain && !options.allow_retained_deletes) {
      c.refused = true;
    }
    plan.changes.push_back(std::move(c));
  }
  for (const Found& f : actual.resources) {
    const Resource* want = desired.Find(f.logical_id);
    if (want == nullptr || want->type != f.type) {
      deletes.push_back({ChangeKind::kDelete,
                         f.logical_id,
                         f.type,
                         "",
                         f.physical_id,
                         {},
                         "not in the config",
                         true,
                         false});
    }
  }
  for (Change& d : deletes) {
    // What is retained stays retained after it leaves the config: the environment's policy.
    d.refused =
        desired.Find(d.logical_id) == nullptr && !options.allow_retained_deletes && desired.retain;
  }
  std::stable_sort(deletes.begin(), deletes.end(), [](const Change& a, const Change& b) {
    return DeleteRank(a.type) < DeleteRank(b.type);
  });
  for (Change& d : deletes) {
    plan.changes.push_back(std::move(d));
  }
  return plan;
}

nlohmann::json Plan::ToJson() const {
  nlohmann::json out = nlohmann::json::array();
  for (const Change& c : changes) {
    nlohmann::json props = nlohmann::json::array();
    for (const PropertyChange& p : c.properties) {
      props.push_back(
          {{"property", p.property}, {"from", p.from}, {"to", p.to}, {"replaces", p.replaces}});
    }
    out.push_back({{"action", ChangeKindName(c.kind)},
                   {"logical_id", c.logical_id},
                   {"type", c.type},
                   {"name", c.name},
                   {"physical_id", c.physical_id},
                   {"properties", props},
                   {"reason", c.reason},
                   {"destructive", c.destructive},
                   {"refused", c.refused}});
  }
  return {{"environment", environment},
          {"changes", out},
          {"summary",
           {{"create", Count(ChangeKind::kCreate)},
            {"update", Count(ChangeKind::kUpdate)},
            {"replace", Count(ChangeKind::kReplace)},
            {"delete", Count(ChangeKind::kDelete)},
            {"unchanged", unchanged},
            {"refused", refused()}}}};
}

std::string Plan::Render() const {
  std::string out;
  for (const Change& c : changes) {
    static const std::map<ChangeKind, const char*> kSigns = {{ChangeKind::kCreate, "+  "},
                                                             {ChangeKind::kUpdate, "~  "},
                                                             {ChangeKind::kReplace, "-/+"},
                                                             {ChangeKind::kDelete, "-  "}};
    out += fmt::format("{} {} {} ({}){}{}\n", c.refused ? "!  " : kSigns.at(c.kind),
                       ChangeKindName(c.kind), c.logical_id, c.type,
                       c.physical_id.empty() ? "" : " " + c.physical_id,
                       c.destructive ? " [destructive]" : "");
    for (const PropertyChange& p : c.properties) {
      out += fmt::format("      {}: {} -> {}{}\n", p.property, Shown(p.from), Shown(p.to),
                         p.replaces ? " (replaces)" : "");
    }
    if (!c.reason.empty()) {
      out += "      " + c.reason + "\n";
    }
    if (c.refused) {
      out += "      refused: RemovalPolicy RETAIN keeps it; --allow-delete-retained overrides\n";
    }
  }
  out += fmt::format(
      "Plan for {}: {} to create, {} to update, {} to replace, {} to delete, {} "
      "unchanged.{}\n",
      environment, Count(ChangeKind::kCreate), Count(ChangeKind::kUpdate),
      Count(ChangeKind::kReplace), Count(ChangeKind::kDelete), unchanged,
      refused() ? " Refused: it would delete retained resources." : "");
  return out;
}

}  // namespace ec2m::stack
