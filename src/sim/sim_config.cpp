#include "sim/sim_config.hpp"

#include "core/json.hpp"

#include <nlohmann/json.hpp>

namespace ec2m::sim {

namespace {

using nlohmann::json;

// Every JSON problem as kInvalidArgument naming `where` (file and JSON path).
Unexpected<Error> Bad(const std::string& where, const std::string& what) {
  return Fail(ErrorCode::kInvalidArgument, where + ": " + what);
}

Result<void> OnlyKeys(const json& obj, const std::string& where,
                      std::initializer_list<std::string_view> keys) {
  if (!obj.is_object()) {
    return Bad(where, std::string("expected an object, got ") + obj.type_name());
  }
  for (const auto& [key, value] : obj.items()) {
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
      std::string known;
      for (auto k : keys) {
        known += known.empty() ? std::string(k) : ", " + std::string(k);
      }
      return Bad(where + "." + key, "unknown key (expected one of: " + known + ")");
    }
  }
  return {};
}

Result<double> Rate(const json& obj, const std::string& where, const char* key) {
  if (!obj.contains(key)) {
    return 0.0;
  }
  const json& v = obj.at(key);
  if (!v.is_number() || v.get<double>() < 0 || v.get<double>() > 1) {
    return Bad(where + "." + key, "expected a number from 0 to 1, got " + v.dump());
  }
  return v.get<double>();
}

Result<Millis> Duration(const json& obj, const std::string& where, const char* key,
                        Millis fallback) {
  if (!obj.contains(key)) {
    return fallback;
  }
  const json& v = obj.at(key);
  if (!v.is_number_integer() || v.get<int64_t>() < 0 || v.get<int64_t>() > 86400000) {
    return Bad(where + "." + key,
               "expected whole milliseconds from 0 to 86400000, got " + v.dump());
  }
  return Millis(v.get<int64_t>());
}

Result<OperationFault> ParseOperationFault(const json& obj, const std::string& where) {
  EC2M_RETURN_IF_ERROR(
      OnlyKeys(obj, where, {"throttle_rate", "error_rate", "latency_ms", "drop_response_rate"}));
  OperationFault f;
  auto drop = Rate(obj, where, "drop_response_rate");
  EC2M_RETURN_IF_ERROR(drop);
  f.drop_response_rate = *drop;
  auto throttle = Rate(obj, where, "throttle_rate");
  EC2M_RETURN_IF_ERROR(throttle);
  auto error = Rate(obj, where, "error_rate");
  EC2M_RETURN_IF_ERROR(error);
  auto latency = Duration(obj, where, "latency_ms", Millis(0));
  EC2M_RETURN_IF_ERROR(latency);
  f.throttle_rate = *throttle;
  f.error_rate = *error;
  f.latency = *latency;
  return f;
}

Result<std::vector<std::string>> StringList(const json& obj, const std::string& where,
                                            const char* key) {
  std::vector<std::string> out;
  if (!obj.contains(key)) {
    return out;
  }
  const json& v = obj.at(key);
  if (!v.is_array()) {
    return Bad(where + "." + key,
               std::string("expected an array of strings, got ") + v.type_name());
  }
  for (size_t i = 0; i < v.size(); ++i) {
    if (!v[i].is_string() || v[i].get<std::string>().empty()) {
      return Bad(where + "." + key + "[" + std::to_string(i) + "]",
                 "expected a non-empty string, got " + v[i].dump());
    }
    out.push_back(v[i].get<std::string>());
  }
  return out;
}

Result<FaultConfig> ParseFaults(const json& obj, const std::string& where) {
  EC2M_RETURN_IF_ERROR(
      OnlyKeys(obj, where,
               {"throttle_rate", "error_rate", "latency_ms", "drop_response_rate", "operations",
                "insufficient_capacity", "impaired_instances", "impaired_images"}));
  FaultConfig faults;
  json all = json::object();
  for (const char* key : {"throttle_rate", "error_rate", "latency_ms", "drop_response_rate"}) {
    if (obj.contains(key)) {
      all[key] = obj.at(key);
    }
  }
  auto base = ParseOperationFault(all, where);
  EC2M_RETURN_IF_ERROR(base);
  faults.all = *base;
  if (obj.contains("operations")) {
    const json& ops = obj.at("operations");
    if (!ops.is_object()) {
      return Bad(where + ".operations", "expected an object keyed by EC2 action name");
    }
    for (const auto& [name, value] : ops.items()) {
      if (name.empty() || !std::isupper(static_cast<unsigned char>(name[0]))) {
        return Bad(where + ".operations." + name,
                   "expected an EC2 action name such as RunInstances");
      }
      auto op = ParseOperationFault(value, where + ".operations." + name);
      EC2M_RETURN_IF_ERROR(op);
      faults.operations[name] = *op;
    }
  }
  if (obj.contains("insufficient_capacity")) {
    const json& caps = obj.at("insufficient_capacity");
    if (!caps.is_array()) {
      return Bad(where + ".insufficient_capacity", "expected an array");
    }
    for (size_t i = 0; i < caps.size(); ++i) {
      const std::string at = where + ".insufficient_capacity[" + std::to_string(i) + "]";
      EC2M_RETURN_IF_ERROR(OnlyKeys(caps[i], at, {"instance_type", "availability_zone"}));
      CapacityFault cap;
      for (const char* key : {"instance_type", "availability_zone"}) {
        if (caps[i].contains(key)) {
          if (!caps[i].at(key).is_string()) {
            return Bad(at + "." + key, "expected a string");
          }
          (std::string_view(key) == "instance_type" ? cap.instance_type : cap.availability_zone) =
              caps[i].at(key).get<std::string>();
        }
      }
      faults.insufficient_capacity.push_back(std::move(cap));
    }
  }
  auto instances = StringList(obj, where, "impaired_instances");
  EC2M_RETURN_IF_ERROR(instances);
  auto images = StringList(obj, where, "impaired_images");
  EC2M_RETURN_IF_ERROR(images);
  faults.impaired_instances = std::move(*instances);
  faults.impaired_images = std::move(*images);
  return faults;
}

json OperationFaultJson(const OperationFault& f) {
  return json{{"throttle_rate", f.throttle_rate},
              {"error_rate", f.error_rate},
              {"latency_ms", f.latency.count()},
              {"drop_response_rate", f.drop_response_rate}};
}

}  // namespace

Result<FaultConfig> ParseFaultConfig(std::string_view json_text) {
  auto doc = ec2m::ParseJson(json_text, "faults");
  EC2M_RETURN_IF_ERROR(doc);
  return ParseFaults(*doc, "$");
}

std::string FaultConfigToJson(const FaultConfig& faults) {
  json out = OperationFaultJson(faults.all);
  out["operations"] = json::object();
  for (const auto& [name, f] : faults.operations) {
    out["operations"][name] = OperationFaultJson(f);
  }
  out["insufficient_capacity"] = json::array();
  for (const auto& cap : faults.insufficient_capacity) {
    out["insufficient_capacity"].push_back(
        json{{"instance_type", cap.instance_type}, {"availability_zone", cap.availability_zone}});
  }
  out["impaired_instances"] = faults.impaired_instances;
  out["impaired_images"] = faults.impaired_images;
  return out.dump();
}

Result<SimConfig> ParseSimConfig(std::string_view json_text, std::string_view source) {
  const std::string src(source);
  auto doc = ec2m::ParseJson(json_text, src);
  EC2M_RETURN_IF_ERROR(doc);
  EC2M_RETURN_IF_ERROR(OnlyKeys(
      *doc, src + ": $",
      {"region", "account_id", "delays_ms", "faults", "listen", "data_dir", "credentials"}));
  SimConfig config;
  struct Text {
    const char* key;
    std::string* target;
  } texts[] = {{"region", &config.region},
               {"account_id", &config.account_id},
               {"listen", &config.listen},
               {"data_dir", &config.data_dir}};
  for (const Text& t : texts) {
    if (doc->contains(t.key)) {
      const json& v = doc->at(t.key);
      if (!v.is_string() || v.get<std::string>().empty()) {
        return Bad(src + ": $." + t.key, "expected a non-empty string, got " + v.dump());
      }
      *t.target = v.get<std::string>();
    }
  }
  if (doc->contains("credentials")) {
    const json& creds = doc->at("credentials");
    if (!creds.is_array() || creds.empty()) {
      return Bad(src + ": $.credentials", "expected a non-empty array of {access_key, secret_key}");
    }
    config.credentials.clear();
    for (size_t i = 0; i < creds.size(); ++i) {
      const std::string at = src + ": $.credentials[" + std::to_string(i) + "]";
      EC2M_RETURN_IF_ERROR(OnlyKeys(creds[i], at, {"access_key", "secret_key"}));
      for (const char* key : {"access_key", "secret_key"}) {
        if (!creds[i].contains(key) || !creds[i].at(key).is_string() ||
            creds[i].at(key).get<std::string>().empty()) {
          return Bad(at + "." + key, "expected a non-empty string");
        }
      }
      config.credentials[creds[i].at("access_key").get<std::string>()] =
          creds[i].at("secret_key").get<std::string>();
    }
  }
  if (config.account_id.size() != 12 ||
      config.account_id.find_first_not_of("0123456789") != std::string::npos) {
    return Bad(src + ": $.account_id", "expected 12 digits, got \"" + config.account_id + "\"");
  }
  if (doc->contains("delays_ms")) {
    const json& d = doc->at("delays_ms");
    const std::string at = src + ": $.delays_ms";
    EC2M_RETURN_IF_ERROR(OnlyKeys(
        d, at, {"pending", "stopping", "shutting_down", "initializing", "terminated_visible"}));
    struct Field {
      const char* key;
      Millis* target;
    } fields[] = {{"pending", &config.delays.pending},
                  {"stopping", &config.delays.stopping},
                  {"shutting_down", &config.delays.shutting_down},
                  {"initializing", &config.delays.initializing},
                  {"terminated_visible", &config.delays.terminated_visible}};
    for (const Field& f : fields) {
      auto v = Duration(d, at, f.key, *f.target);
      EC2M_RETURN_IF_ERROR(v);
      *f.target = *v;
    }
  }
  if (doc->contains("faults")) {
    auto faults = ParseFaults(doc->at("faults"), src + ": $.faults");
    EC2M_RETURN_IF_ERROR(faults);
    config.faults = std::move(*faults);
  }
  return config;
}

}  // namespace ec2m::sim
