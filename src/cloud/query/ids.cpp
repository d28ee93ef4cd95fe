#include "cloud/query/ids.hpp"

namespace ec2m::query {

namespace {

struct KindInfo {
  std::string_view prefix;
  std::string_view malformed_code;
};

KindInfo Info(IdKind kind) {
  switch (kind) {
    case IdKind::kInstance:
      return {"i", "InvalidInstanceID.Malformed"};
    case IdKind::kImage:
      return {"ami", "InvalidAMIID.Malformed"};
    case IdKind::kVpc:
      return {"vpc", "InvalidVpcID.Malformed"};
    case IdKind::kSubnet:
      return {"subnet", "InvalidSubnetID.Malformed"};
    case IdKind::kSecurityGroup:
      return {"sg", "InvalidGroupId.Malformed"};
  }
  return {"", "InvalidParameterValue"};
}

bool IsHexSuffix(std::string_view s) {
  if (s.size() != 8 && s.size() != 17) {
    return false;
  }
  for (const char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  return true;
}

// Echoed ids are cut so a hostile value cannot inflate the error body.
std::string Echo(std::string_view id) {
  constexpr size_t kMax = 200;
  return id.size() <= kMax ? std::string(id) : std::string(id.substr(0, kMax)) + "...";
}

}  // namespace

bool IsWellFormedId(std::string_view id, std::string_view prefix) {
  return id.size() > prefix.size() && id.substr(0, prefix.size()) == prefix &&
         id[prefix.size()] == '-' && IsHexSuffix(id.substr(prefix.size() + 1));
}

Result<void> ValidateId(IdKind kind, std::string_view id) {
  const KindInfo info = Info(kind);
  if (IsWellFormedId(id, info.prefix)) {
    return {};
  }
  std::string message = "Invalid id: \"" + Echo(id) + "\"";
  if (kind != IdKind::kInstance) {
    message += " (expecting \"" + std::string(info.prefix) + "-...\")";
  }
  return Fail(ErrorCode::kInvalidArgument, std::move(message), std::string(info.malformed_code));
}

Result<void> ValidateIds(IdKind kind, const std::vector<std::string>& ids) {
  for (const std::string& id : ids) {
    EC2M_RETURN_IF_ERROR(ValidateId(kind, id));
  }
  return {};
}

Result<void> ValidateResourceId(std::string_view id) {
  const size_t dash = id.find('-');
  bool ok = dash != std::string_view::npos && dash > 0 && IsHexSuffix(id.substr(dash + 1));
  for (size_t i = 0; ok && i < dash; ++i) {
    ok = id[i] >= 'a' && id[i] <= 'z';
  }
  if (ok) {
    return {};
  }
  return Fail(ErrorCode::kInvalidArgument, "The ID '" + Echo(id) + "' is not valid", "InvalidID");
}

}  // namespace ec2m::query
