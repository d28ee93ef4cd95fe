#include "core/ec2.hpp"

#include <algorithm>

namespace ec2m {

Result<Page<Reservation>> Ec2::DescribeInstancesWindow(const DescribeRequest& req, int limit) {
  if (!req.ids.empty()) {
    return DescribeInstances(req);
  }
  DescribeRequest page = req;
  page.max_results = std::clamp(limit, 5, 1000);
  return DescribeInstances(page);
}

}  // namespace ec2m
