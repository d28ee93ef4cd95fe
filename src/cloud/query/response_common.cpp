#include "cloud/query/response_common.hpp"

#include "cloud/query/responses.hpp"

namespace ec2m::query::internal {

void BeginResponse(XmlWriter& w, std::string_view action, std::string_view request_id) {
  w.Declaration();
  std::string root(action);
  root += "Response";
  w.Open(root, kXmlNamespace);
  w.Text("requestId", request_id);
}

void EndResponse(XmlWriter& w, std::string_view action) {
  std::string root(action);
  root += "Response";
  w.Close(root);
}

void WriteTagSet(XmlWriter& w, const Tags& tags) {
  if (tags.empty()) {
    return;
  }
  w.Open("tagSet");
  for (const Tag& tag : tags) {
    w.Open("item");
    w.Text("key", tag.key);
    w.Text("value", tag.value);
    w.Close("item");
  }
  w.Close("tagSet");
}

void WriteNextToken(XmlWriter& w, const std::string& token) { w.TextIfSet("nextToken", token); }

void WriteInstanceState(XmlWriter& w, std::string_view name, InstanceState state) {
  w.Open(name);
  w.Int("code", InstanceStateCode(state));
  w.Text("name", InstanceStateName(state));
  w.Close(name);
}

}  // namespace ec2m::query::internal
