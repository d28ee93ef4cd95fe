#include "config/json_object.hpp"

#include <fmt/core.h>

#include <nlohmann/json.hpp>

#include "core/json.hpp"
#include "core/text.hpp"

namespace ec2m::config {
namespace {

// A key of the input in a JSON path: as it is when short and plain, else "<key of N bytes>".
std::string ShownKey(std::string_view key) {
  const std::string shown = ShownValue(key);
  return shown.front() == '"' ? std::string(key)
                              : "<key of " + std::to_string(key.size()) + " bytes>";
}

// A wrong value as a message shows it: its type, and the value itself when it is a number, a
// boolean or a short plain string (core/text.hpp ShownValue); never an object's or array's text.
std::string Got(const nlohmann::json& value) {
  std::string out = JsonTypeName(value);
  if (value.is_number() || value.is_boolean()) {
    out += " " + value.dump();
  } else if (value.is_string()) {
    const std::string shown = ShownValue(value.get_ref<const std::string&>());
    if (shown.front() == '"') {
      out += " " + shown;
    }
  }
  return out;
}

}  // namespace

std::string JsonTypeName(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::null:
      return "null";
    case nlohmann::json::value_t::object:
      return "an object";
    case nlohmann::json::value_t::array:
      return "an array";
    case nlohmann::json::value_t::string:
      return "a string";
    case nlohmann::json::value_t::boolean:
      return "a boolean";
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
    case nlohmann::json::value_t::number_float:
      return "a number";
    default:
      return "an unsupported value";
  }
}

Result<JsonObject> JsonObject::Parse(std::string_view text, std::string source) {
  auto parsed = ParseJson(text, source);
  EC2M_RETURN_IF_ERROR(parsed);
  auto root = std::make_shared<nlohmann::json>(std::move(*parsed));
  if (!root->is_object()) {
    return Fail(ErrorCode::kInvalidArgument,
                source + ": $: expected an object, got " + JsonTypeName(*root));
  }
  const nlohmann::json* node = root.get();
  return JsonObject(std::move(root), node, std::move(source), "$");
}

JsonObject::JsonObject(std::shared_ptr<const nlohmann::json> root, const nlohmann::json* node,
                       std::string source, std::string path)
    : root_(std::move(root)), node_(node), source_(std::move(source)), path_(std::move(path)) {}

std::string JsonObject::Where(std::string_view key) const {
  if (key.empty()) {
    return fmt::format("{}: {}", source_, path_);  // the object itself
  }
  return fmt::format("{}: {}.{}", source_, path_, key);
}

Unexpected<Error> JsonObject::Invalid(std::string_view key, std::string_view problem) const {
  return Fail(ErrorCode::kInvalidArgument, Where(key) + ": " + std::string(problem));
}

const nlohmann::json* JsonObject::Find(std::string_view key) {
  known_.emplace(key);
  auto it = node_->find(key);
  return it == node_->end() ? nullptr : &*it;
}

Result<std::string> JsonObject::String(std::string_view key) {
  auto value = OptString(key);
  EC2M_RETURN_IF_ERROR(value);
  if (!*value) {
    return Invalid(key, "required, missing");
  }
  return std::move(**value);
}

Result<std::optional<std::string>> JsonObject::OptString(std::string_view key) {
  const nlohmann::json* v = Find(key);
  if (v == nullptr) {
    return std::optional<std::string>();
  }
  if (!v->is_string()) {
    return Invalid(key, "expected a string, got " + Got(*v));
  }
  return std::optional<std::string>(v->get<std::string>());
}

Result<std::string> JsonObject::StringOr(std::string_view key, std::string fallback,
                                         const std::vector<std::string>& allowed) {
  auto value = OptString(key);
  EC2M_RETURN_IF_ERROR(value);
  if (!*value) {
    return fallback;
  }
  if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), **value) == allowed.end()) {
    std::string list;
    for (const auto& a : allowed) {
      list += (list.empty() ? "" : ", ") + a;
    }
    return Invalid(key, "expected one of " + list + ", got " + ShownValue(**value));
  }
  return std::move(**value);
}

Result<std::optional<int64_t>> JsonObject::OptInt(std::string_view key, int64_t min, int64_t max) {
  const nlohmann::json* v = Find(key);
  if (v == nullptr) {
    return std::optional<int64_t>();
  }
  if (!v->is_number_integer()) {
    return Invalid(key, "expected an integer, got " + Got(*v));
  }
  const auto n = v->get<int64_t>();
  if (n < min || n > max) {
    return Invalid(key, fmt::format("expected {}..{}, got {}", min, max, n));
  }
  return std::optional<int64_t>(n);
}

Result<void> JsonObject::ReadInt(std::string_view key, int64_t min, int64_t max, int& out) {
  auto n = OptInt(key, min, max);
  EC2M_RETURN_IF_ERROR(n);
  out = static_cast<int>(n->value_or(out));
  return {};
}

Result<std::optional<double>> JsonObject::OptNumber(std::string_view key) {
  const nlohmann::json* v = Find(key);
  if (v == nullptr) {
    return std::optional<double>();
  }
  if (!v->is_number()) {
    return Invalid(key, "expected a number, got " + Got(*v));
  }
  return std::optional<double>(v->get<double>());
}

Result<std::optional<bool>> JsonObject::OptBool(std::string_view key) {
  const nlohmann::json* v = Find(key);
  if (v == nullptr) {
    return std::optional<bool>();
  }
  if (!v->is_boolean()) {
    return Invalid(key, "expected true or false, got " + Got(*v));
  }
  return std::optional<bool>(v->get<bool>());
}

Result<std::optional<JsonObject>> JsonObject::OptObject(std::string_view key) {
  const nlohmann::json* v = Find(key);
  if (v == nullptr) {
    return std::optional<JsonObject>();
  }
  if (!v->is_object()) {
    return Invalid(key, "expected an object, got " + Got(*v));
  }
  return std::optional<JsonObject>(JsonObject(root_, v, source_, path_ + "." + std::string(key)));
}

Result<std::vector<JsonObject>> JsonObject::Objects(std::string_view key) {
  const nlohmann::json* v = Find(key);
  std::vector<JsonObject> out;
  if (v == nullptr) {
    return out;
  }
  if (!v->is_array()) {
    return Invalid(key, "expected an array of objects, got " + Got(*v));
  }
  out.reserve(v->size());
  for (size_t i = 0; i < v->size(); ++i) {
    const nlohmann::json& item = (*v)[i];
    const std::string path = fmt::format("{}.{}[{}]", path_, key, i);
    if (!item.is_object()) {
      return Fail(ErrorCode::kInvalidArgument,
                  fmt::format("{}: {}: expected an object, got {}", source_, path, Got(item)));
    }
    out.push_back(JsonObject(root_, &item, source_, path));
  }
  return out;
}

Result<std::optional<std::vector<std::string>>> JsonObject::OptStrings(std::string_view key) {
  const nlohmann::json* v = Find(key);
  if (v == nullptr) {
    return std::optional<std::vector<std::string>>();
  }
  if (!v->is_array()) {
    return Invalid(key, "expected an array of strings, got " + Got(*v));
  }
  std::vector<std::string> out;
  out.reserve(v->size());
  for (size_t i = 0; i < v->size(); ++i) {
    const nlohmann::json& item = (*v)[i];
    if (!item.is_string()) {
      return Fail(ErrorCode::kInvalidArgument,
                  fmt::format("{}[{}]: expected a string, got {}", Where(key), i, Got(item)));
    }
    out.push_back(item.get<std::string>());
  }
  return std::optional<std::vector<std::string>>(std::move(out));
}

Result<std::optional<std::map<std::string, std::string>>> JsonObject::OptStringMap(
    std::string_view key) {
  const nlohmann::json* v = Find(key);
  if (v == nullptr) {
    return std::optional<std::map<std::string, std::string>>();
  }
  if (!v->is_object()) {
    return Invalid(key, "expected an object of strings, got " + Got(*v));
  }
  std::map<std::string, std::string> out;
  for (const auto& [k, item] : v->items()) {
    if (!item.is_string()) {
      return Fail(ErrorCode::kInvalidArgument, fmt::format("{}.{}: expected a string, got {}",
                                                           Where(key), ShownKey(k), Got(item)));
    }
    out.emplace(k, item.get<std::string>());
  }
  return std::optional<std::map<std::string, std::string>>(std::move(out));
}

Result<void> JsonObject::Finish() const {
  for (const auto& [key, value] : node_->items()) {
    if (known_.count(key) == 0) {
      std::string list;
      for (const auto& k : known_) {
        list += (list.empty() ? "" : ", ") + k;
      }
      return Fail(ErrorCode::kInvalidArgument,
                  fmt::format("{}: unknown key (expected one of {})", Where(ShownKey(key)), list));
    }
  }
  return {};
}

}  // namespace ec2m::config
