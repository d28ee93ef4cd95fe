#include "cloud/query/client_response_reader.hpp"

#include <charconv>
#include <chrono>

namespace ec2m::query::internal {

namespace {

// Reads `count` decimal digits at `pos`; false when any is not a digit.
bool Digits(std::string_view s, size_t pos, size_t count, int& out) {
  if (pos + count > s.size()) {
    return false;
  }
  out = 0;
  for (size_t i = pos; i < pos + count; ++i) {
    if (s[i] < '0' || s[i] > '9') {
      return false;
    }
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

// The fraction after the seconds (".123456"), as milliseconds; false when malformed.
bool FractionMillis(std::string_view s, size_t& pos, int& millis) {
  millis = 0;
  if (pos >= s.size() || s[pos] != '.') {
    return true;
  }
  ++pos;
  int digits = 0;
  while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
    if (digits < 3) {
      millis = millis * 10 + (s[pos] - '0');
    }
    ++digits;
    ++pos;
  }
  for (int d = digits; d < 3; ++d) {
    millis *= 10;
  }
  return digits > 0;
}

std::optional<InstanceState> StateFromCode(int64_t code) {
  switch (code & 0xFF) {
    case 0:
      return InstanceState::kPending;
    case 16:
      return InstanceState::kRunning;
    case 32:
      return InstanceState::kShuttingDown;
    case 48:
      return InstanceState::kTerminated;
    case 64:
      return InstanceState::kStopping;
    case 80:
      return InstanceState::kStopped;
    default:
      return std::nullopt;
  }
}

}  // namespace

Result<pugi::xml_node> LoadResponse(pugi::xml_document& doc, std::string_view xml,
                                    std::string_view action) {
  const std::string expected = std::string(action) + "Response";
  const pugi::xml_parse_result parsed = doc.load_buffer(xml.data(), xml.size());
  if (!parsed) {
    return Fail(ErrorCode::kInternal, expected + ": the body is not XML: " + parsed.description() +
                                          " at offset " + std::to_string(parsed.offset));
  }
  pugi::xml_node root = doc.document_element();
  if (expected != root.name()) {
    return Fail(ErrorCode::kInternal,
                expected + ": expected root <" + expected + ">, got <" + root.name() + ">");
  }
  return root;
}

std::optional<TimePoint> ParseIso8601(std::string_view s) {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, millis = 0;
  if (!Digits(s, 0, 4, year) || s.size() < 20 || s[4] != '-' || !Digits(s, 5, 2, month) ||
      s[7] != '-' || !Digits(s, 8, 2, day) || (s[10] != 'T' && s[10] != 't') ||
      !Digits(s, 11, 2, hour) || s[13] != ':' || !Digits(s, 14, 2, minute) || s[16] != ':' ||
      !Digits(s, 17, 2, second)) {
    return std::nullopt;
  }
  size_t pos = 19;
  if (!FractionMillis(s, pos, millis)) {
    return std::nullopt;
  }
  const std::string_view zone = s.substr(pos);
  if (zone != "Z" && zone != "z" && zone != "+00:00") {
    return std::nullopt;  // EC2 always answers in UTC
  }
  const std::chrono::year_month_day date{std::chrono::year(year),
                                         std::chrono::month(static_cast<unsigned>(month)),
                                         std::chrono::day(static_cast<unsigned>(day))};
  if (!date.ok() || hour > 23 || minute > 59 || second > 60) {
    return std::nullopt;
  }
  return TimePoint(std::chrono::sys_days(date).time_since_epoch() + std::chrono::hours(hour) +
                   std::chrono::minutes(minute) + std::chrono::seconds(second) +
                   std::chrono::milliseconds(millis));
}

std::string XmlReader::Text(pugi::xml_node parent, const char* name) {
  return parent.child(name).child_value();
}

std::optional<int64_t> XmlReader::OptionalInt(pugi::xml_node parent, const char* name) {
  pugi::xml_node node = parent.child(name);
  if (!node) {
    return std::nullopt;
  }
  const std::string_view text = node.child_value();
  int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) {
    Malformed(parent, name, "expected an integer, got '" + std::string(text) + "'");
    return std::nullopt;
  }
  return value;
}

int64_t XmlReader::Int(pugi::xml_node parent, const char* name) {
  return OptionalInt(parent, name).value_or(0);
}

bool XmlReader::Bool(pugi::xml_node parent, const char* name, bool fallback) {
  pugi::xml_node node = parent.child(name);
  if (!node) {
    return fallback;
  }
  const std::string_view text = node.child_value();
  if (text != "true" && text != "false") {
    Malformed(parent, name, "expected true or false, got '" + std::string(text) + "'");
    return fallback;
  }
  return text == "true";
}

std::optional<TimePoint> XmlReader::Time(pugi::xml_node parent, const char* name) {
  pugi::xml_node node = parent.child(name);
  if (!node) {
    return std::nullopt;
  }
  std::optional<TimePoint> t = ParseIso8601(node.child_value());
  if (!t) {
    Malformed(parent, name,
              "expected an ISO 8601 UTC time, got '" + std::string(node.child_value()) + "'");
  }
  return t;
}

InstanceState XmlReader::State(pugi::xml_node parent, const char* name) {
  pugi::xml_node node = parent.child(name);
  if (std::optional<int64_t> code = OptionalInt(node, "code")) {
    if (std::optional<InstanceState> state = StateFromCode(*code)) {
      return *state;
    }
  }
  if (std::optional<InstanceState> state = ParseInstanceState(node.child_value("name"))) {
    return *state;
  }
  Malformed(parent, name,
            "unknown instance state code '" + Text(node, "code") + "' and name '" +
                Text(node, "name") + "'");
  return InstanceState::kPending;
}

Tags XmlReader::TagSet(pugi::xml_node parent) {
  Tags tags;
  for (pugi::xml_node item : Items(parent, "tagSet")) {
    tags.push_back(Tag{Text(item, "key"), Text(item, "value")});
  }
  return tags;
}

std::vector<std::string> XmlReader::Strings(pugi::xml_node parent, const char* name) {
  std::vector<std::string> values;
  for (pugi::xml_node item : Items(parent, name)) {
    values.emplace_back(item.child_value());
  }
  return values;
}

pugi::xml_object_range<pugi::xml_named_node_iterator> XmlReader::Items(pugi::xml_node parent,
                                                                       const char* name) {
  return parent.child(name).children("item");
}

void XmlReader::Malformed(pugi::xml_node parent, const char* name, std::string_view why) {
  if (error_) {
    return;
  }
  error_ = Error{ErrorCode::kInternal,
                 action_ + "Response: <" + parent.name() + "><" + name + ">: " + std::string(why),
                 {},
                 {}};
}

}  // namespace ec2m::query::internal
