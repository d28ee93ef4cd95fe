#include "cloud/query/dispatch.hpp"

#include <map>
#include <type_traits>

#include "cloud/query/errors.hpp"
#include "cloud/query/requests.hpp"
#include "cloud/query/responses.hpp"

namespace ec2m::query {

namespace {

using Handler = QueryResponse (*)(Ec2&, const Params&, std::string_view action,
                                  std::string_view request_id);

// Parses the request and calls the region; `finish` serializes the region's answer.
template <auto Parse, auto Method, typename Finish>
QueryResponse Serve(Ec2& ec2, const Params& params, std::string_view request_id, Finish finish) {
  auto req = Parse(params);
  if (!req) {
    return ErrorResponse(req.error(), request_id);
  }
  auto out = (ec2.*Method)(*req);
  if (!out) {
    return ErrorResponse(out.error(), request_id);
  }
  if constexpr (std::is_invocable_v<Finish>) {
    return QueryResponse{200, finish()};
  } else {
    return QueryResponse{200, finish(*out)};
  }
}

// An operation whose output has its own serializer.
template <auto Parse, auto Method, auto Serialize>
QueryResponse Op(Ec2& ec2, const Params& p, std::string_view, std::string_view rid) {
  return Serve<Parse, Method>(ec2, p, rid, [rid](const auto& out) { return Serialize(rid, out); });
}

// An operation without output: `<return>true</return>`.
template <auto Parse, auto Method>
QueryResponse VoidOp(Ec2& ec2, const Params& p, std::string_view action, std::string_view rid) {
  return Serve<Parse, Method>(ec2, p, rid,
                              [action, rid] { return SerializeReturnTrue(action, rid); });
}

// Start/Stop/TerminateInstances: a list of state changes.
template <auto Parse, auto Method>
QueryResponse StateOp(Ec2& ec2, const Params& p, std::string_view action, std::string_view rid) {
  return Serve<Parse, Method>(ec2, p, rid, [action, rid](const auto& out) {
    return SerializeInstanceStateChanges(action, rid, out);
  });
}

// Monitor/UnmonitorInstances: the region answers nothing; EC2 answers every instance named with the
// monitoring state the change leaves it in, "pending" (kEnable) or "disabling".
template <auto Parse, auto Method, bool kEnable>
QueryResponse MonitoringOp(Ec2& ec2, const Params& p, std::string_view action,
                           std::string_view rid) {
  auto req = Parse(p);
  if (!req) {
    return ErrorResponse(req.error(), rid);
  }
  auto out = (ec2.*Method)(*req);
  if (!out) {
    return ErrorResponse(out.error(), rid);
  }
  return QueryResponse{200, SerializeInstanceMonitorings(action, rid, req->instance_ids,
                                                         kEnable ? "pending" : "disabling")};
}

const std::map<std::string_view, Handler, std::less<>>& Handlers() {
  static const std::map<std::string_view, Handler, std::less<>> handlers = {
      {"RunInstances", Op<ParseRunInstances, &Ec2::RunInstances, SerializeRunInstances>},
      {"DescribeInstances",
       Op<ParseDescribeInstances, &Ec2::DescribeInstances, SerializeDescribeInstances>},
      {"DescribeInstanceStatus", Op<ParseDescribeInstanceStatus, &Ec2::DescribeInstanceStatus,
                                    SerializeDescribeInstanceStatus>},
      {"StartInstances", StateOp<ParseStartInstances, &Ec2::StartInstances>},
      {"StopInstances", StateOp<ParseStopInstances, &Ec2::StopInstances>},
      {"RebootInstances", VoidOp<ParseRebootInstances, &Ec2::RebootInstances>},
      {"TerminateInstances", StateOp<ParseTerminateInstances, &Ec2::TerminateInstances>},
      {"ModifyInstanceAttribute",
       VoidOp<ParseModifyInstanceAttribute, &Ec2::ModifyInstanceAttribute>},
      {"DescribeInstanceAttribute",
       Op<ParseDescribeInstanceAttribute, &Ec2::DescribeInstanceAttribute,
          SerializeDescribeInstanceAttribute>},
      {"MonitorInstances",
       MonitoringOp<ParseMonitorInstances, &Ec2::MonitorInstances, /*kEnable=*/true>},
      {"UnmonitorInstances",
       MonitoringOp<ParseUnmonitorInstances, &Ec2::UnmonitorInstances, /*kEnable=*/false>},
      {"CreateTags", VoidOp<ParseCreateTags, &Ec2::CreateTags>},
      {"DeleteTags", VoidOp<ParseDeleteTags, &Ec2::DeleteTags>},
      {"DescribeTags", Op<ParseDescribeTags, &Ec2::DescribeTags, SerializeDescribeTags>},
      {"CreateVpc", Op<ParseCreateVpc, &Ec2::CreateVpc, SerializeCreateVpc>},
      {"DescribeVpcs", Op<ParseDescribeVpcs, &Ec2::DescribeVpcs, SerializeDescribeVpcs>},
      {"ModifyVpcAttribute", VoidOp<ParseModifyVpcAttribute, &Ec2::ModifyVpcAttribute>},
      {"DeleteVpc", VoidOp<ParseDeleteVpc, &Ec2::DeleteVpc>},
      {"CreateSubnet", Op<ParseCreateSubnet, &Ec2::CreateSubnet, SerializeCreateSubnet>},
      {"DescribeSubnets",
       Op<ParseDescribeSubnets, &Ec2::DescribeSubnets, SerializeDescribeSubnets>},
      {"ModifySubnetAttribute", VoidOp<ParseModifySubnetAttribute, &Ec2::ModifySubnetAttribute>},
      {"DeleteSubnet", VoidOp<ParseDeleteSubnet, &Ec2::DeleteSubnet>},
      {"CreateSecurityGroup",
       Op<ParseCreateSecurityGroup, &Ec2::CreateSecurityGroup, SerializeCreateSecurityGroup>},
      {"DescribeSecurityGroups", Op<ParseDescribeSecurityGroups, &Ec2::DescribeSecurityGroups,
                                    SerializeDescribeSecurityGroups>},
      {"AuthorizeSecurityGroupIngress",
       VoidOp<ParseAuthorizeSecurityGroupIngress, &Ec2::AuthorizeSecurityGroupIngress>},
      {"RevokeSecurityGroupIngress",
       VoidOp<ParseRevokeSecurityGroupIngress, &Ec2::RevokeSecurityGroupIngress>},
      {"DeleteSecurityGroup", VoidOp<ParseDeleteSecurityGroup, &Ec2::DeleteSecurityGroup>},
      {"DescribeImages", Op<ParseDescribeImages, &Ec2::DescribeImages, SerializeDescribeImages>},
      {"DescribeInstanceTypes",
       Op<ParseDescribeInstanceTypes, &Ec2::DescribeInstanceTypes, SerializeDescribeInstanceTypes>},
      {"DescribeAvailabilityZones",
       Op<ParseDescribeAvailabilityZones, &Ec2::DescribeAvailabilityZones,
          SerializeDescribeAvailabilityZones>},
      {"DescribeRegions",
       Op<ParseDescribeRegions, &Ec2::DescribeRegions, SerializeDescribeRegions>},
  };
  return handlers;
}

}  // namespace

QueryResponse ErrorResponse(const Error& error, std::string_view request_id) {
  return QueryResponse{ToEc2ErrorCode(error).http_status, SerializeError(error, request_id)};
}

QueryResponse Dispatch(Ec2& ec2, const Params& params, std::string_view request_id) {
  const std::string* action = params.Find("Action");
  if (!action || action->empty()) {
    return ErrorResponse(
        Error{ErrorCode::kInvalidArgument, "The request must contain the parameter Action",
              "MissingAction", ""},
        request_id);
  }
  const auto& handlers = Handlers();
  auto it = handlers.find(*action);
  if (it == handlers.end()) {
    std::string shown = action->size() <= 100 ? *action : action->substr(0, 100) + "...";
    return ErrorResponse(
        Error{ErrorCode::kInvalidArgument,
              "The action " + shown + " is not valid for this web service.", "InvalidAction", ""},
        request_id);
  }
  return it->second(ec2, params, it->first, request_id);
}

std::vector<std::string_view> SupportedActions() {
  std::vector<std::string_view> out;
  for (const auto& [name, handler] : Handlers()) {
    out.push_back(name);
  }
  return out;
}

}  // namespace ec2m::query
