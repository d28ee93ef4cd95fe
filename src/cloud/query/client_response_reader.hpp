#pragma once

// Internal to ec2m_query: reading values out of a parsed EC2 response (the client side of
// response_common.hpp).

#include <optional>
#include <pugixml.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/ec2_types.hpp"
#include "core/error.hpp"

namespace ec2m::query::internal {

// Parses `xml` into `doc` and returns its root, which must be `<{action}Response>`. kInternal
// naming the parse error and its offset, or the root found, otherwise.
Result<pugi::xml_node> LoadResponse(pugi::xml_document& doc, std::string_view xml,
                                    std::string_view action);

// "2016-11-15T10:00:00.000Z", "2016-11-15T10:00:00Z" (any number of fraction digits; the
// fraction is kept to milliseconds). Nullopt when malformed.
std::optional<TimePoint> ParseIso8601(std::string_view text);

// Reads member values, remembering the first malformed one so that a parser reads a whole
// structure and checks once (Finish). Absent members read as empty, zero, false or `fallback`.
// Not thread-safe; one per response.
class XmlReader {
 public:
  explicit XmlReader(std::string_view action) : action_(action) {}

  // The text of child `name` ("" when absent).
  static std::string Text(pugi::xml_node parent, const char* name);
  int64_t Int(pugi::xml_node parent, const char* name);
  std::optional<int64_t> OptionalInt(pugi::xml_node parent, const char* name);
  // "true" or "false"; `fallback` when absent.
  bool Bool(pugi::xml_node parent, const char* name, bool fallback = false);
  std::optional<TimePoint> Time(pugi::xml_node parent, const char* name);
  // `<name><code>..</code><name>..</name></name>`: the code & 0xFF, else the name.
  InstanceState State(pugi::xml_node parent, const char* name);
  // `<tagSet><item><key/><value/></item>...`.
  static Tags TagSet(pugi::xml_node parent);
  // `<name><item>text</item>...`.
  static std::vector<std::string> Strings(pugi::xml_node parent, const char* name);
  // The `<item>` children of `<name>`.
  static pugi::xml_object_range<pugi::xml_named_node_iterator> Items(pugi::xml_node parent,
                                                                     const char* name);

  // The value, or the first malformed member as kInternal.
  template <typename T>
  Result<T> Finish(T value) {
    if (error_) {
      return Fail(*error_);
    }
    return value;  // implicitly moved
  }

 private:
  void Malformed(pugi::xml_node parent, const char* name, std::string_view why);

  std::string action_;
  std::optional<Error> error_;
};

// A paginated Describe response: `read(reader, item)` for every `<set><item>`, and nextToken.
template <typename T, typename ReadItem>
Result<Page<T>> ParsePage(std::string_view xml, std::string_view action, const char* set,
                          ReadItem read) {
  pugi::xml_document doc;
  Result<pugi::xml_node> root = LoadResponse(doc, xml, action);
  if (!root) {
    return Fail(std::move(root).error());
  }
  XmlReader r(action);
  Page<T> page;
  for (pugi::xml_node item : XmlReader::Items(*root, set)) {
    page.items.push_back(read(r, item));
  }
  page.next_token = XmlReader::Text(*root, "nextToken");
  return r.Finish(std::move(page));
}

// A response of one object: `read(reader, root)`.
template <typename ReadRoot>
auto ParseOne(std::string_view xml, std::string_view action, ReadRoot read)
    -> Result<decltype(read(std::declval<XmlReader&>(), pugi::xml_node()))> {
  pugi::xml_document doc;
  Result<pugi::xml_node> root = LoadResponse(doc, xml, action);
  if (!root) {
    return Fail(std::move(root).error());
  }
  XmlReader r(action);
  return r.Finish(read(r, *root));
}

}  // namespace ec2m::query::internal
