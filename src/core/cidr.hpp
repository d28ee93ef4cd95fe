#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

// IPv4 networks, as EC2 writes them: the simulated region's VPCs and subnets, and the blocks an
// environment config carves its subnets from.
namespace ec2m {

// An IPv4 network, e.g. 10.0.0.0/16. The address is always the network address.
struct Cidr {
  uint32_t address = 0;
  int prefix = 0;

  uint64_t Size() const { return uint64_t{1} << (32 - prefix); }
  uint32_t Mask() const { return prefix == 0 ? 0 : ~uint32_t{0} << (32 - prefix); }
  bool Contains(const Cidr& inner) const;
  bool Overlaps(const Cidr& other) const;
  std::string ToString() const;
};

// Parses "a.b.c.d/n". Host bits must be zero (EC2 rejects "10.0.0.1/16" for a VPC or subnet).
std::optional<Cidr> ParseCidr(std::string_view text);
std::optional<uint32_t> ParseIpv4(std::string_view text);
std::string FormatIpv4(uint32_t address);

}  // namespace ec2m
