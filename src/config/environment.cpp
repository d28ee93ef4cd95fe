#include "config/environment.hpp"

#include <date/tz.h>
#include <fmt/core.h>

#include <algorithm>
#include <cctype>
#include <exception>
#include <filesystem>
#include <set>

#include "config/json_object.hpp"
#include "core/cidr.hpp"
#include "core/files.hpp"
#include "core/text.hpp"

namespace ec2m::config {
namespace {

bool IsName(const std::string& s) {
  return !s.empty() && s.size() <= 32 && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

bool IsAccountId(const std::string& s) {
  return s.size() == 12 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

bool IsTimeZone(const std::string& name) {
  // "localtime" is the host's /etc/localtime: a config must mean the same on every machine.
  if (name == "localtime") {
    return false;
  }
  try {
    return date::locate_zone(name) != nullptr;
  } catch (const std::exception&) {  // not in the database, or no database to read
    return false;
  }
}

int CidrPrefix(const std::string& cidr, int min_prefix, int max_prefix) {
  auto block = ParseCidr(cidr);
  if (!block || block->prefix < min_prefix || block->prefix > max_prefix) {
    return -1;
  }
  return block->prefix;
}

std::vector<std::string> Zones(const EnvironmentConfig& e) {
  std::vector<std::string> zones;
  for (int64_t i = 0; i < e.vpc_max_azs; ++i) {
    zones.push_back(e.region + static_cast<char>('a' + i));
  }
  return zones;
}

Result<std::vector<SubnetBlock>> SubnetBlocks(const EnvironmentConfig& e) {
  auto vpc = ParseCidr(e.vpc_cidr);
  if (!vpc) {
    return Fail(ErrorCode::kInvalidArgument, e.file + ": $.vpc.cidr: not a network CIDR");
  }
  const uint64_t vpc_size = uint64_t{1} << (32 - vpc->prefix);
  const uint64_t vpc_end = uint64_t{vpc->address} + vpc_size;
  uint64_t next = vpc->address;
  std::vector<SubnetBlock> out;
  const std::vector<std::string> zones = Zones(e);
  for (size_t g = 0; g < e.subnet_groups.size(); ++g) {
    const SubnetGroup& group = e.subnet_groups[g];
    const uint64_t size = uint64_t{1} << (32 - group.cidr_mask);
    for (size_t z = 0; z < zones.size(); ++z) {
      next = (next + size - 1) / size * size;  // aligned to its own size
      if (next + size > vpc_end) {
        return Fail(
            ErrorCode::kInvalidArgument,
            fmt::format("{}: $.vpc.subnets[{}].cidrMask: {} subnets of /{} (one per zone, "
                        "vpc.maxAzs {}) do not fit in {} after the groups before it",
                        e.file, g, zones.size(), group.cidr_mask, e.vpc_max_azs, e.vpc_cidr));
      }
      out.push_back({group.name, group.is_public, zones[z], static_cast<char>('a' + z),
                     Cidr{static_cast<uint32_t>(next), group.cidr_mask}.ToString()});
      next += size;
    }
  }
  return out;
}

namespace {

// "HH:MM" on a 24-hour clock.
bool IsClockTime(const std::string& s) {
  return s.size() == 5 && s[2] == ':' && std::isdigit(static_cast<unsigned char>(s[0])) &&
         std::isdigit(static_cast<unsigned char>(s[1])) &&
         std::isdigit(static_cast<unsigned char>(s[3])) &&
         std::isdigit(static_cast<unsigned char>(s[4])) && (s[0] - '0') * 10 + (s[1] - '0') < 24 &&
         (s[3] - '0') * 10 + (s[4] - '0') < 60;
}

// "ami-" and 8 or 17 lower-case hex digits.
bool IsImageId(const std::string& s) {
  const size_t n = s.size() - 4;
  return s.rfind("ami-", 0) == 0 && (n == 8 || n == 17) &&
         s.find_first_not_of("0123456789abcdef", 4) == std::string::npos;
}

// "t3.micro": a family of lower-case letters, digits and '-', a dot, a size.
bool IsInstanceType(const std::string& s) {
  const size_t dot = s.find('.');
  return dot != std::string::npos && dot > 0 && dot + 1 < s.size() && s.size() <= 32 &&
         s.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-.") == std::string::npos &&
         s.find('.', dot + 1) == std::string::npos &&
         std::islower(static_cast<unsigned char>(s[0]));
}

// A name defined twice in one list: "... "web" is already the name of $.instanceGroups[0]".
template <typename T>
Result<void> CheckUnique(const std::vector<T>& items, const std::vector<JsonObject>& objects,
                         std::string_view list) {
  for (size_t i = 0; i < items.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (items[i].name == items[j].name) {
        return objects[i].Invalid("name", fmt::format("{} is already the name of $.{}[{}]",
                                                      ShownValue(items[i].name), list, j));
      }
    }
  }
  return {};
}

std::string Names(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) {
    out += (out.empty() ? "" : ", ") + n;
  }
  return out.empty() ? "(none defined)" : out;
}

Result<std::string> ReadName(JsonObject& o, std::string_view key = "name") {
  auto name = o.String(key);
  EC2M_RETURN_IF_ERROR(name);
  if (!IsName(*name)) {
    return o.Invalid(
        key, "expected lower-case letters, digits and '-' (1..32), got " + ShownValue(*name));
  }
  return name;
}

Result<void> ReadSubnets(JsonObject& vpc, EnvironmentConfig& e) {
  auto objects = vpc.Objects("subnets");
  EC2M_RETURN_IF_ERROR(objects);
  const int prefix = CidrPrefix(e.vpc_cidr);
  for (JsonObject& o : *objects) {
    SubnetGroup g;
    auto name = ReadName(o);
    EC2M_RETURN_IF_ERROR(name);
    g.name = *name;
    auto type = o.String("type");
    EC2M_RETURN_IF_ERROR(type);
    if (*type != "public" && *type != "private") {
      return o.Invalid("type", "expected one of public, private, got " + ShownValue(*type));
    }
    g.is_public = *type == "public";
    auto mask = o.OptInt("cidrMask", prefix + 1, 28);
    EC2M_RETURN_IF_ERROR(mask);
    g.cidr_mask = static_cast<int>(mask->value_or(std::max(24, prefix + 1)));
    EC2M_RETURN_IF_ERROR(o.Finish());
    e.subnet_groups.push_back(g);
  }
  EC2M_RETURN_IF_ERROR(CheckUnique(e.subnet_groups, *objects, "vpc.subnets"));
  return {};
}

Result<IngressRule> ReadIngress(JsonObject& o) {
  IngressRule r;
  auto protocol = o.StringOr("protocol", "tcp", {"tcp", "udp", "icmp", "all"});
  EC2M_RETURN_IF_ERROR(protocol);
  r.protocol = *protocol;
  auto port = o.OptInt("port", 0, 65535);
  EC2M_RETURN_IF_ERROR(port);
  auto from = o.OptInt("fromPort", 0, 65535);
  EC2M_RETURN_IF_ERROR(from);
  auto to = o.OptInt("toPort", 0, 65535);
  EC2M_RETURN_IF_ERROR(to);
  if (*port && (*from || *to)) {
    return o.Invalid("port", "give either port or fromPort and toPort, not both");
  }
  if (r.protocol == "tcp" || r.protocol == "udp") {
    if (!*port && (!*from || !*to)) {
      return o.Invalid(*from ? "toPort" : "fromPort",
                       "required for " + r.protocol + " (or give one port)");
    }
    r.from_port = static_cast<int>(port->value_or(from->value_or(0)));
    r.to_port = static_cast<int>(port->value_or(to->value_or(0)));
    if (r.from_port > r.to_port) {
      return o.Invalid(
          "toPort", fmt::format("expected at least fromPort ({}), got {}", r.from_port, r.to_port));
    }
  } else if (*port || *from || *to) {
    return o.Invalid(*port ? "port" : (*from ? "fromPort" : "toPort"),
                     "ports apply to tcp and udp only, not " + r.protocol);
  }
  auto cidr = o.StringOr("cidr", "");
  EC2M_RETURN_IF_ERROR(cidr);
  auto source = o.StringOr("source", "");
  EC2M_RETURN_IF_ERROR(source);
  if (cidr->empty() == source->empty()) {
    return o.Invalid("cidr", "give exactly one of cidr (addresses) and source (a security group)");
  }
  if (!cidr->empty() && CidrPrefix(*cidr, 0, 32) < 0) {
    return o.Invalid("cidr", "expected an IPv4 CIDR like 0.0.0.0/0, got " + ShownValue(*cidr));
  }
  r.cidr = *cidr;
  r.source_group = *source;
  auto description = o.StringOr("description", "");
  EC2M_RETURN_IF_ERROR(description);
  r.description = *description;
  EC2M_RETURN_IF_ERROR(o.Finish());
  return r;
}

Result<void> ReadSecurityGroups(JsonObject& doc, EnvironmentConfig& e) {
  auto objects = doc.Objects("securityGroups");
  EC2M_RETURN_IF_ERROR(objects);
  std::vector<std::vector<JsonObject>> rules;
  for (JsonObject& o : *objects) {
    SecurityGroupConfig g;
    auto name = ReadName(o);
    EC2M_RETURN_IF_ERROR(name);
    g.name = *name;
    auto description = o.StringOr("description", "ec2m security group " + g.name);
    EC2M_RETURN_IF_ERROR(description);
    g.description = *description;
    auto ingress = o.Objects("ingress");
    EC2M_RETURN_IF_ERROR(ingress);
    for (JsonObject& r : *ingress) {
      auto rule = ReadIngress(r);
      EC2M_RETURN_IF_ERROR(rule);
      g.ingress.push_back(*rule);
    }
    EC2M_RETURN_IF_ERROR(o.Finish());
    e.security_groups.push_back(g);
    rules.push_back(std::move(*ingress));
  }
  EC2M_RETURN_IF_ERROR(CheckUnique(e.security_groups, *objects, "securityGroups"));
  std::vector<std::string> names;
  for (const auto& g : e.security_groups) {
    names.push_back(g.name);
  }
  for (size_t i = 0; i < e.security_groups.size(); ++i) {
    for (size_t j = 0; j < e.security_groups[i].ingress.size(); ++j) {
      const std::string& source = e.security_groups[i].ingress[j].source_group;
      if (!source.empty() && std::find(names.begin(), names.end(), source) == names.end()) {
        return rules[i][j].Invalid("source", "expected one of " + Names(names) +
                                                 " (the securityGroups names), got " +
                                                 ShownValue(source));
      }
    }
  }
  return {};
}

Result<void> ReadHealthCheck(JsonObject& group, HealthCheckConfig& h) {
  auto obj = group.OptObject("healthCheck");
  EC2M_RETURN_IF_ERROR(obj);
  if (!*obj) {
    return {};
  }
  JsonObject& o = **obj;
  auto type = o.StringOr("type", h.type, {"ec2", "http"});
  EC2M_RETURN_IF_ERROR(type);
  h.type = *type;
  auto path = o.StringOr("path", h.path);
  EC2M_RETURN_IF_ERROR(path);
  if (path->empty() || (*path)[0] != '/') {
    return o.Invalid("path", "expected a path starting with /, got " + ShownValue(*path));
  }
  h.path = *path;
  EC2M_RETURN_IF_ERROR(o.ReadInt("port", 1, 65535, h.port));
  EC2M_RETURN_IF_ERROR(o.ReadInt("intervalSeconds", 5, 300, h.interval_seconds));
  EC2M_RETURN_IF_ERROR(o.ReadInt("timeoutSeconds", 2, 60, h.timeout_seconds));
  if (h.timeout_seconds >= h.interval_seconds) {
    return o.Invalid("timeoutSeconds",
                     fmt::format("expected less than intervalSeconds ({}), got {}",
                                 h.interval_seconds, h.timeout_seconds));
  }
  EC2M_RETURN_IF_ERROR(o.ReadInt("healthyThreshold", 2, 10, h.healthy_threshold));
  EC2M_RETURN_IF_ERROR(o.ReadInt("unhealthyThreshold", 2, 10, h.unhealthy_threshold));
  return o.Finish();
}

Result<void> ReadVolume(JsonObject& group, VolumeConfig& v) {
  auto obj = group.OptObject("volume");
  EC2M_RETURN_IF_ERROR(obj);
  if (!*obj) {
    return {};
  }
  JsonObject& o = **obj;
  EC2M_RETURN_IF_ERROR(o.ReadInt("sizeGb", 1, 16384, v.size_gb));
  auto type = o.StringOr("type", v.type, {"gp2", "gp3", "io1", "io2", "st1", "sc1", "standard"});
  EC2M_RETURN_IF_ERROR(type);
  v.type = *type;
  auto encrypted = o.OptBool("encrypted");
  EC2M_RETURN_IF_ERROR(encrypted);
  v.encrypted = encrypted->value_or(v.encrypted);
  return o.Finish();
}

Result<void> ReadInstanceGroups(JsonObject& doc, EnvironmentConfig& e) {
  auto objects = doc.Objects("instanceGroups");
  EC2M_RETURN_IF_ERROR(objects);
  std::vector<std::string> subnet_names;
  for (const auto& g : e.subnet_groups) {
    subnet_names.push_back(g.name);
  }
  std::vector<std::string> sg_names;
  for (const auto& g : e.security_groups) {
    sg_names.push_back(g.name);
  }
  for (JsonObject& o : *objects) {
    InstanceGroupConfig g;
    auto name = ReadName(o);
    EC2M_RETURN_IF_ERROR(name);
    g.name = *name;
    auto image = o.String("image");
    EC2M_RETURN_IF_ERROR(image);
    if (!IsImageId(*image)) {
      return o.Invalid(
          "image", "expected an image id like ami-0123456789abcdef0, got " + ShownValue(*image));
    }
    g.image = *image;
    auto type = o.String("instanceType");
    EC2M_RETURN_IF_ERROR(type);
    if (!IsInstanceType(*type)) {
      return o.Invalid("instanceType",
                       "expected an instance type like t3.micro, got " + ShownValue(*type));
    }
    g.instance_type = *type;
    EC2M_RETURN_IF_ERROR(o.ReadInt("count", 0, 1000, g.count));
    const std::string fallback =
        std::find(subnet_names.begin(), subnet_names.end(), "private") != subnet_names.end()
            ? "private"
            : (subnet_names.empty() ? "" : subnet_names.front());
    auto subnets = o.StringOr("subnets", fallback);
    EC2M_RETURN_IF_ERROR(subnets);
    if (std::find(subnet_names.begin(), subnet_names.end(), *subnets) == subnet_names.end()) {
      return o.Invalid("subnets", "expected one of " + Names(subnet_names) +
                                      " (the vpc.subnets names), got " + ShownValue(*subnets));
    }
    g.subnets = *subnets;
    auto groups = o.OptStrings("securityGroups");
    EC2M_RETURN_IF_ERROR(groups);
    g.security_groups = groups->value_or(std::vector<std::string>{});
    for (size_t i = 0; i < g.security_groups.size(); ++i) {
      const std::string& sg = g.security_groups[i];
      if (std::find(sg_names.begin(), sg_names.end(), sg) == sg_names.end()) {
        return o.Invalid(fmt::format("securityGroups[{}]", i),
                         "expected one of " + Names(sg_names) +
                             " (the securityGroups names), got " + ShownValue(sg));
      }
    }
    auto user_data = o.StringOr("userData", "");
    EC2M_RETURN_IF_ERROR(user_data);
    if (user_data->size() > 16384) {
      return o.Invalid("userData", fmt::format("expected at most 16384 bytes (EC2's limit), got {}",
                                               user_data->size()));
    }
    g.user_data = *user_data;
    EC2M_RETURN_IF_ERROR(ReadHealthCheck(o, g.health_check));
    EC2M_RETURN_IF_ERROR(ReadVolume(o, g.volume));
    auto protection = o.OptBool("terminationProtection");
    EC2M_RETURN_IF_ERROR(protection);
    g.termination_protection = *protection;
    EC2M_RETURN_IF_ERROR(o.Finish());
    e.instance_groups.push_back(g);
  }
  return CheckUnique(e.instance_groups, *objects, "instanceGroups");
}

Result<void> ReadTags(JsonObject& doc, EnvironmentConfig& e) {
  auto tags = doc.OptStringMap("tags");
  EC2M_RETURN_IF_ERROR(tags);
  if (!*tags) {
    return {};
  }
  for (const auto& [key, value] : **tags) {
    const std::string where = "tags." + key;
    if (key == "ManagedBy" || key == "Environment" || key == "Service" || key == "Name" ||
        key.rfind("ec2m:", 0) == 0) {
      return doc.Invalid(where, "set by ec2m on every resource; choose another key");
    }
    if (key.rfind("aws:", 0) == 0) {
      return doc.Invalid(where, "the aws: prefix is reserved by AWS");
    }
    if (key.empty() || key.size() > 128 || value.size() > 256) {
      return doc.Invalid(where, "expected a key of 1..128 characters and a value of at most 256");
    }
  }
  e.tags = std::move(**tags);
  return {};
}

Result<void> ReadWindows(JsonObject& doc, EnvironmentConfig& e) {
  static const std::vector<std::string> kDays = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
  auto objects = doc.Objects("maintenanceWindows");
  EC2M_RETURN_IF_ERROR(objects);
  for (JsonObject& o : *objects) {
    MaintenanceWindow w;
    auto days = o.OptStrings("days");
    EC2M_RETURN_IF_ERROR(days);
    w.days = days->value_or(kDays);
    if (w.days.empty()) {
      return o.Invalid("days", "expected at least one of mon, tue, wed, thu, fri, sat, sun");
    }
    for (size_t i = 0; i < w.days.size(); ++i) {
      if (std::find(kDays.begin(), kDays.end(), w.days[i]) == kDays.end() ||
          std::find(w.days.begin(), w.days.begin() + static_cast<std::ptrdiff_t>(i), w.days[i]) !=
              w.days.begin() + static_cast<std::ptrdiff_t>(i)) {
        return o.Invalid(fmt::format("days[{}]", i),
                         "expected one of mon, tue, wed, thu, fri, sat, sun, each once, got " +
                             ShownValue(w.days[i]));
      }
    }
    for (const char* key : {"start", "end"}) {
      auto t = o.String(key);
      EC2M_RETURN_IF_ERROR(t);
      if (!IsClockTime(*t)) {
        return o.Invalid(key, "expected a time HH:MM (00:00..23:59), got " + ShownValue(*t));
      }
      (std::string_view(key) == "start" ? w.start : w.end) = *t;
    }
    if (w.start == w.end) {
      return o.Invalid("end", "expected a time other than start (" + w.start + ")");
    }
    auto zone = o.StringOr("timeZone", w.time_zone);
    EC2M_RETURN_IF_ERROR(zone);
    if (!IsTimeZone(*zone)) {
      return o.Invalid("timeZone",
                       "expected a time zone of the tz database (\"America/Los_Angeles\"), got " +
                           ShownValue(*zone));
    }
    w.time_zone = *zone;
    EC2M_RETURN_IF_ERROR(o.Finish());
    e.maintenance_windows.push_back(w);
  }
  return {};
}

// One entry of monitoring.alarms onto `spec` (a default of that name, or a new alarm).
Result<void> ReadAlarm(JsonObject& o, monitor::AlarmSpec& spec, bool is_new) {
  auto text = [&](std::string_view key, auto parse, auto& field) -> Result<void> {
    auto value = o.OptString(key);
    EC2M_RETURN_IF_ERROR(value);
    if (*value) {
      auto parsed = parse(**value);
      if (!parsed) {
        return o.Invalid(key, parsed.error().message);
      }
      field = *parsed;
    }
    return {};
  };
  auto metric = o.OptString("metric");
  EC2M_RETURN_IF_ERROR(metric);
  if (*metric) {
    spec.metric = **metric;
  } else if (is_new) {
    return o.Invalid("metric",
                     "expected the metric a new alarm watches (ServerErrors, Latency, "
                     "Throttles, AuthFailures, Requests, ...)");
  }
  auto description = o.OptString("description");
  EC2M_RETURN_IF_ERROR(description);
  spec.description = description->value_or(spec.description);
  EC2M_RETURN_IF_ERROR(text("statistic", monitor::ParseStatistic, spec.statistic));
  EC2M_RETURN_IF_ERROR(text("comparison", monitor::ParseComparison, spec.comparison));
  EC2M_RETURN_IF_ERROR(text("treatMissingData", monitor::ParseMissingData, spec.missing));
  EC2M_RETURN_IF_ERROR(o.ReadInt("period", 60, 86400, spec.period_seconds));
  auto n = o.OptInt("evaluationPeriods", 1, 1440);
  EC2M_RETURN_IF_ERROR(n);
  spec.evaluation_periods = static_cast<int>(n->value_or(spec.evaluation_periods));
  auto m = o.OptInt("datapointsToAlarm", 1, 1440);
  EC2M_RETURN_IF_ERROR(m);
  // An override of N alone keeps an M-of-N default's "all of them" meaning.
  spec.datapoints_to_alarm = static_cast<int>(
      m->value_or(is_new || *n ? spec.evaluation_periods : spec.datapoints_to_alarm));
  auto threshold = o.OptNumber("threshold");
  EC2M_RETURN_IF_ERROR(threshold);
  if (!*threshold && is_new) {
    return o.Invalid("threshold", "expected the number a new alarm compares against");
  }
  spec.threshold = threshold->value_or(spec.threshold);
  auto severity = o.StringOr("severity", spec.severity, {"critical", "warning", "info"});
  EC2M_RETURN_IF_ERROR(severity);
  spec.severity = *severity;
  auto channels = o.OptStrings("channels");
  EC2M_RETURN_IF_ERROR(channels);
  spec.channels = channels->value_or(spec.channels);
  auto dimensions = o.OptStringMap("dimensions");
  EC2M_RETURN_IF_ERROR(dimensions);
  spec.dimensions = dimensions->value_or(spec.dimensions);
  if (auto valid = monitor::ValidateAlarmSpec(spec); !valid) {
    return o.Invalid("", valid.error().message);
  }
  return {};
}

Result<void> ReadAlarms(JsonObject& monitoring, EnvironmentConfig& e) {
  auto objects = monitoring.Objects("alarms");
  EC2M_RETURN_IF_ERROR(objects);
  std::set<std::string> seen;
  for (JsonObject& o : *objects) {
    auto name = o.String("name");
    EC2M_RETURN_IF_ERROR(name);
    if (name->empty() || name->size() > 255) {
      return o.Invalid("name", "expected 1..255 characters");
    }
    if (!seen.insert(*name).second) {
      return o.Invalid("name",
                       "expected a name not used by another alarm, got " + ShownValue(*name));
    }
    auto enabled = o.OptBool("enabled");
    EC2M_RETURN_IF_ERROR(enabled);
    auto it = std::find_if(e.alarms.begin(), e.alarms.end(),
                           [&](const monitor::AlarmSpec& a) { return a.name == *name; });
    if (!enabled->value_or(true)) {
      if (it != e.alarms.end()) {
        e.alarms.erase(it);
      }
      EC2M_RETURN_IF_ERROR(o.Finish());
      continue;
    }
    const bool is_new = it == e.alarms.end();
    monitor::AlarmSpec spec = is_new ? monitor::AlarmSpec{} : *it;
    spec.name = *name;
    EC2M_RETURN_IF_ERROR(ReadAlarm(o, spec, is_new));
    EC2M_RETURN_IF_ERROR(o.Finish());
    if (is_new) {
      e.alarms.push_back(std::move(spec));
    } else {
      *it = std::move(spec);
    }
  }
  return {};
}

Result<void> ReadApproval(JsonObject& doc, EnvironmentConfig& e) {
  auto obj = doc.OptObject("approval");
  EC2M_RETURN_IF_ERROR(obj);
  if (!*obj) {
    return {};
  }
  auto required = (*obj)->OptBool("required");
  EC2M_RETURN_IF_ERROR(required);
  e.approval.required = required->value_or(e.approval.required);
  EC2M_RETURN_IF_ERROR((*obj)->ReadInt("approvals", 1, 5, e.approval.approvals));
  return (*obj)->Finish();
}

Result<void> ReadDeployment(JsonObject& doc, EnvironmentConfig& e) {
  auto obj = doc.OptObject("deployment");
  EC2M_RETURN_IF_ERROR(obj);
  if (!*obj) {
    return {};
  }
  JsonObject& o = **obj;
  DeploymentConfig& d = e.deployment;
  EC2M_RETURN_IF_ERROR(o.ReadInt("stabilizationSeconds", 0, 3600, d.stabilization_seconds));
  EC2M_RETURN_IF_ERROR(o.ReadInt("watchSeconds", 0, 86400, d.watch_seconds));
  EC2M_RETURN_IF_ERROR(o.ReadInt("healthTimeoutSeconds", 10, 7200, d.health_timeout_seconds));
  EC2M_RETURN_IF_ERROR(o.ReadInt("baselineMinutes", 5, 1440, d.baseline_minutes));
  EC2M_RETURN_IF_ERROR(o.ReadInt("consecutiveBreaches", 1, 10, d.consecutive_breaches));
  auto next = o.OptString("promoteTo");
  EC2M_RETURN_IF_ERROR(next);
  if (*next) {
    if (!IsName(**next) || **next == e.name) {
      return o.Invalid("promoteTo",
                       "expected another environment's name (lower-case letters, digits "
                       "and '-'), got " +
                           ShownValue(**next));
    }
    d.promote_to = **next;
  }
  return o.Finish();
}

Result<void> ReadCloud(JsonObject& doc, CloudConfig& cloud) {
  auto obj = doc.OptObject("cloud");
  EC2M_RETURN_IF_ERROR(obj);
  if (!*obj) {
    return {};
  }
  JsonObject& c = **obj;
  auto provider = c.StringOr("provider", cloud.provider, {"sim", "aws"});
  EC2M_RETURN_IF_ERROR(provider);
  cloud.provider = *provider;
  auto endpoint = c.StringOr("endpoint", "");
  EC2M_RETURN_IF_ERROR(endpoint);
  cloud.endpoint = *endpoint;
  auto profile = c.StringOr("profile", "");
  EC2M_RETURN_IF_ERROR(profile);
  cloud.profile = *profile;
  EC2M_RETURN_IF_ERROR(c.Finish());
  if (cloud.provider == "sim" && (!cloud.endpoint.empty() || !cloud.profile.empty())) {
    return c.Invalid(cloud.endpoint.empty() ? "profile" : "endpoint",
                     "only for provider \"aws\"; the simulated region needs neither");
  }
  if (!cloud.endpoint.empty() && cloud.endpoint.rfind("http://", 0) != 0 &&
      cloud.endpoint.rfind("https://", 0) != 0) {
    return c.Invalid("endpoint",
                     "expected an http:// or https:// URL, got " + ShownValue(cloud.endpoint));
  }
  return {};
}

}  // namespace

Result<EnvironmentConfig> ParseEnvironmentConfig(std::string_view text, const std::string& file) {
  auto doc = JsonObject::Parse(text, file);
  EC2M_RETURN_IF_ERROR(doc);
  EnvironmentConfig e;
  e.file = file;
  auto name = doc->String("environment");
  EC2M_RETURN_IF_ERROR(name);
  if (!IsName(*name)) {
    return doc->Invalid("environment", "expected lower-case letters, digits and '-' (1..32), got " +
                                           ShownValue(*name));
  }
  if (*name == monitor::kControlPlane) {
    return doc->Invalid("environment",
                        "\"ec2m\" is reserved: it names the control plane's own "
                        "alarms and metrics");
  }
  e.name = *name;
  auto service = doc->StringOr("service", e.service);
  EC2M_RETURN_IF_ERROR(service);
  if (!IsName(*service)) {
    return doc->Invalid("service", "expected lower-case letters, digits and '-' (1..32), got " +
                                       ShownValue(*service));
  }
  e.service = *service;
  auto region = doc->String("region");
  EC2M_RETURN_IF_ERROR(region);
  e.region = *region;
  auto account = doc->StringOr("accountId", "123456789012");
  EC2M_RETURN_IF_ERROR(account);
  if (!IsAccountId(*account)) {
    return doc->Invalid("accountId", "expected 12 digits, got " + ShownValue(*account));
  }
  e.account_id = *account;
  EC2M_RETURN_IF_ERROR(ReadCloud(*doc, e.cloud));

  auto vpc = doc->OptObject("vpc");
  EC2M_RETURN_IF_ERROR(vpc);
  if (*vpc) {
    auto cidr = (*vpc)->StringOr("cidr", e.vpc_cidr);
    EC2M_RETURN_IF_ERROR(cidr);
    if (CidrPrefix(*cidr, 16, 28) < 0) {
      return (*vpc)->Invalid(
          "cidr", "expected an IPv4 network /16../28 like 10.0.0.0/16, got " + ShownValue(*cidr));
    }
    e.vpc_cidr = *cidr;
    auto azs = (*vpc)->OptInt("maxAzs", 1, 6);
    EC2M_RETURN_IF_ERROR(azs);
    e.vpc_max_azs = azs->value_or(e.vpc_max_azs);
    EC2M_RETURN_IF_ERROR(ReadSubnets(**vpc, e));
    EC2M_RETURN_IF_ERROR((*vpc)->Finish());
  }
  if (e.subnet_groups.empty()) {
    // The CDK's default: a public and a private subnet in every zone.
    const int mask = std::max(24, CidrPrefix(e.vpc_cidr) + 3);
    e.subnet_groups = {{"public", true, std::min(mask, 28)},
                       {"private", false, std::min(mask, 28)}};
  }
  if (auto blocks = SubnetBlocks(e); !blocks) {
    return Fail(blocks.error());
  }
  EC2M_RETURN_IF_ERROR(ReadSecurityGroups(*doc, e));
  EC2M_RETURN_IF_ERROR(ReadInstanceGroups(*doc, e));
  EC2M_RETURN_IF_ERROR(ReadTags(*doc, e));
  auto removal = doc->StringOr("removalPolicy", e.name == "prod" ? "RETAIN" : "DESTROY",
                               {"RETAIN", "DESTROY"});
  EC2M_RETURN_IF_ERROR(removal);
  e.removal_policy = *removal;
  EC2M_RETURN_IF_ERROR(ReadWindows(*doc, e));
  EC2M_RETURN_IF_ERROR(ReadApproval(*doc, e));
  EC2M_RETURN_IF_ERROR(ReadDeployment(*doc, e));
  auto cognito = doc->OptObject("cognito");
  EC2M_RETURN_IF_ERROR(cognito);
  if (*cognito) {
    auto mfa = (*cognito)->OptBool("mfaRequired");
    EC2M_RETURN_IF_ERROR(mfa);
    e.mfa_required = mfa->value_or(false);
    auto signup = (*cognito)->OptBool("selfSignUpEnabled");
    EC2M_RETURN_IF_ERROR(signup);
    e.self_signup_enabled = signup->value_or(false);
    EC2M_RETURN_IF_ERROR((*cognito)->Finish());
  }
  auto monitoring = doc->OptObject("monitoring");
  EC2M_RETURN_IF_ERROR(monitoring);
  if (*monitoring) {
    auto detailed = (*monitoring)->OptBool("detailedMonitoring");
    EC2M_RETURN_IF_ERROR(detailed);
    e.detailed_monitoring = detailed->value_or(false);
    auto days = (*monitoring)->OptInt("logRetentionDays", 1, 3653);
    EC2M_RETURN_IF_ERROR(days);
    e.log_retention_days = days->value_or(e.log_retention_days);
    EC2M_RETURN_IF_ERROR(ReadAlarms(**monitoring, e));
    EC2M_RETURN_IF_ERROR((*monitoring)->Finish());
  }
  EC2M_RETURN_IF_ERROR(doc->Finish());
  return e;
}

Result<EnvironmentFile> ReadEnvironmentFile(const std::string& path) {
  auto text = ReadFile(path);
  EC2M_RETURN_IF_ERROR(text);
  auto env = ParseEnvironmentConfig(*text, path);
  EC2M_RETURN_IF_ERROR(env);
  const std::string stem = std::filesystem::path(path).stem().string();
  if (env->name != stem) {
    return Fail(ErrorCode::kInvalidArgument, path + ": $.environment: expected " +
                                                 ShownValue(stem) + " (the file's name), got " +
                                                 ShownValue(env->name));
  }
  return EnvironmentFile{std::move(*env), std::move(*text)};
}

Result<void> CheckPromotions(const std::vector<EnvironmentConfig>& envs) {
  std::map<std::string, const EnvironmentConfig*> by_name;
  std::string names;
  for (const EnvironmentConfig& e : envs) {
    by_name[e.name] = &e;
    names += (names.empty() ? "" : ", ") + e.name;
  }
  for (const EnvironmentConfig& e : envs) {
    const std::string& next = e.deployment.promote_to;
    if (next.empty()) {
      continue;
    }
    if (!by_name.count(next)) {
      return Fail(ErrorCode::kInvalidArgument,
                  fmt::format("{}: $.deployment.promoteTo: expected one of the environments "
                              "beside it ({}), got {}",
                              e.file, names, ShownValue(next)));
    }
    // Following promotions from here must end: dev → staging → prod, never back.
    std::set<std::string> seen = {e.name};
    for (const EnvironmentConfig* at = by_name[next]; at != nullptr;) {
      if (!seen.insert(at->name).second) {
        return Fail(ErrorCode::kInvalidArgument,
                    fmt::format("{}: $.deployment.promoteTo: promotions from {} come back to {} "
                                "(a cycle)",
                                e.file, e.name, at->name));
      }
      const std::string& after = at->deployment.promote_to;
      at = after.empty() || !by_name.count(after) ? nullptr : by_name[after];
    }
  }
  return {};
}

Result<std::vector<EnvironmentConfig>> LoadEnvironments(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return Fail(ErrorCode::kInvalidArgument, dir + ": not a directory of environment configs");
  }
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json") {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  std::vector<EnvironmentConfig> envs;
  envs.reserve(files.size());
  for (const fs::path& path : files) {
    auto file = ReadEnvironmentFile(path.string());
    EC2M_RETURN_IF_ERROR(file);
    envs.push_back(std::move(file->config));
  }
  EC2M_RETURN_IF_ERROR(CheckPromotions(envs));
  return envs;
}

}  // namespace ec2m::config
