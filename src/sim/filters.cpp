#include "sim/filters.hpp"

namespace ec2m::sim {

bool TagFilterValues(const Tags& tags, std::string_view name, std::vector<std::string>& out) {
  if (name.starts_with("tag:")) {
    const std::string_view key = name.substr(4);
    for (const Tag& t : tags) {
      if (t.key == key) {
        out.push_back(t.value);
      }
    }
    return true;
  }
  if (name == "tag-key" || name == "tag-value") {
    for (const Tag& t : tags) {
      out.push_back(name == "tag-key" ? t.key : t.value);
    }
    return true;
  }
  return false;
}

}  // namespace ec2m::sim
