#pragma once

#include <string_view>

namespace ec2m::sim {

// EC2 filter value matching: `*` matches any run of characters, `?` exactly one, and a backslash
// makes the next character literal. Case-sensitive, as EC2.
bool WildcardMatch(std::string_view pattern, std::string_view text);

}  // namespace ec2m::sim
