#include "sim/region_internal.hpp"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>

namespace ec2m::sim {

namespace {
constexpr std::string_view kTokenPrefix = "ec2m-1.";
}  // namespace

Unexpected<Error> DryRunSucceeded() {
  return Fail(ErrorCode::kFailedPrecondition,
              "Request would have succeeded, but DryRun flag is set.", "DryRunOperation");
}

Result<void> CheckPaging(const DescribeRequest& req, int lo, int hi, bool ids_exclusive) {
  if (!req.max_results) {
    return {};
  }
  if (ids_exclusive && !req.ids.empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                "The parameter instancesSet cannot be used with the parameter maxResults",
                "InvalidParameterCombination");
  }
  if (*req.max_results < lo || *req.max_results > hi) {
    return Fail(ErrorCode::kInvalidArgument,
                fmt::format("Value ( {} ) for parameter maxResults is invalid. Expecting a value "
                            "greater than {} and less than {}",
                            *req.max_results, lo - 1, hi + 1),
                "InvalidParameterValue");
  }
  return {};
}

std::string MakeNextToken(uint64_t position) {
  return fmt::format("{}{:x}", kTokenPrefix, position);
}

Result<uint64_t> ReadNextToken(const std::string& token, std::string_view code) {
  uint64_t position = 0;
  if (token.starts_with(kTokenPrefix)) {
    const char* begin = token.data() + kTokenPrefix.size();
    const char* end = token.data() + token.size();
    auto [next, ec] = std::from_chars(begin, end, position, 16);
    if (ec == std::errc() && next == end && begin != end) {
      return position;
    }
  }
  return Fail(ErrorCode::kInvalidArgument, "The token '" + token + "' is invalid.",
              std::string(code));
}

bool Requested(const std::vector<std::string>& ids, std::string_view id) {
  return ids.empty() || std::find(ids.begin(), ids.end(), id) != ids.end();
}

Result<void> ValidateTags(const Tags& tags) {
  for (const Tag& t : tags) {
    if (t.key.empty() || t.key.size() > 127) {
      return Fail(ErrorCode::kInvalidArgument, "Tag keys must be between 1 and 127 characters long",
                  "InvalidParameterValue");
    }
    if (t.key.starts_with("aws:")) {
      return Fail(ErrorCode::kInvalidArgument,
                  "Tag keys starting with 'aws:' are reserved for internal use",
                  "InvalidParameterValue");
    }
    if (t.value.size() > 255) {
      return Fail(ErrorCode::kInvalidArgument,
                  "Tag value for key '" + t.key + "' exceeds the maximum length of 255 characters",
                  "InvalidParameterValue");
    }
  }
  return {};
}

Result<void> MergeTags(Tags& target, const Tags& tags, const std::string& resource_id) {
  for (const Tag& t : tags) {
    auto it =
        std::find_if(target.begin(), target.end(), [&](const Tag& x) { return x.key == t.key; });
    if (it != target.end()) {
      it->value = t.value;
    } else {
      target.push_back(t);
    }
  }
  if (target.size() > 50) {
    return Fail(
        ErrorCode::kInvalidArgument,
        "The maximum number of tags (50) for resource '" + resource_id + "' has been reached.",
        "TagLimitExceeded");
  }
  return {};
}

Result<Tags> TagsFromSpecs(const std::vector<TagSpecification>& specs,
                           std::string_view resource_type,
                           const std::vector<std::string_view>& allowed) {
  Tags tags;
  for (const TagSpecification& spec : specs) {
    const bool known =
        spec.resource_type == resource_type ||
        std::find(allowed.begin(), allowed.end(), spec.resource_type) != allowed.end();
    if (!known) {
      return Fail(
          ErrorCode::kInvalidArgument,
          "'" + spec.resource_type + "' is not a valid taggable resource type for this operation.",
          "InvalidParameterValue");
    }
    if (spec.resource_type != resource_type) {
      continue;
    }
    EC2M_RETURN_IF_ERROR(ValidateTags(spec.tags));
    EC2M_RETURN_IF_ERROR(MergeTags(tags, spec.tags, std::string(resource_type)));
  }
  return tags;
}

std::string_view ResourceTypeOf(std::string_view id) {
  if (id.starts_with("i-")) {
    return "instance";
  }
  if (id.starts_with("vpc-")) {
    return "vpc";
  }
  if (id.starts_with("subnet-")) {
    return "subnet";
  }
  if (id.starts_with("sg-")) {
    return "security-group";
  }
  if (id.starts_with("ami-")) {
    return "image";
  }
  return "";
}

Unexpected<Error> IdsNotFound(std::string_view resource_type, const std::vector<std::string>& ids) {
  std::string joined;
  for (const auto& id : ids) {
    joined += joined.empty() ? id : ", " + id;
  }
  const bool many = ids.size() > 1;
  if (resource_type == "instance") {
    return Fail(ErrorCode::kNotFound,
                many ? "The instance IDs '" + joined + "' do not exist"
                     : "The instance ID '" + joined + "' does not exist",
                "InvalidInstanceID.NotFound");
  }
  if (resource_type == "vpc") {
    return Fail(ErrorCode::kNotFound, "The vpc ID '" + joined + "' does not exist",
                "InvalidVpcID.NotFound");
  }
  if (resource_type == "subnet") {
    return Fail(ErrorCode::kNotFound, "The subnet ID '" + joined + "' does not exist",
                "InvalidSubnetID.NotFound");
  }
  if (resource_type == "security-group") {
    return Fail(ErrorCode::kNotFound, "The security group '" + joined + "' does not exist",
                "InvalidGroup.NotFound");
  }
  if (resource_type == "image") {
    return Fail(ErrorCode::kNotFound, "The image id '[" + joined + "]' does not exist",
                "InvalidAMIID.NotFound");
  }
  return Fail(ErrorCode::kNotFound, "The ID '" + joined + "' is not valid", "InvalidID");
}

}  // namespace ec2m::sim
