#pragma once

// Internal to ec2m_query: pieces every response serializer writes.

#include <string>
#include <string_view>

#include "cloud/query/xml_writer.hpp"
#include "core/ec2_types.hpp"

namespace ec2m::query::internal {

// Bytes of XML per instance in DescribeInstances and RunInstances, to size a buffer once.
inline constexpr size_t kInstanceXmlEstimate = 2048;

// The declaration, `<{action}Response xmlns=...>` and `<requestId>`.
void BeginResponse(XmlWriter& w, std::string_view action, std::string_view request_id);
// `</{action}Response>`.
void EndResponse(XmlWriter& w, std::string_view action);
// `<tagSet>` with an item per tag; nothing when there are none (as EC2).
void WriteTagSet(XmlWriter& w, const Tags& tags);
// `<nextToken>` when the token is not empty.
void WriteNextToken(XmlWriter& w, const std::string& token);
// `<{name}><code>16</code><name>running</name></{name}>`.
void WriteInstanceState(XmlWriter& w, std::string_view name, InstanceState state);

}  // namespace ec2m::query::internal
