#include "core/cidr.hpp"

#include <charconv>

#include <fmt/format.h>

namespace ec2m {

bool Cidr::Contains(const Cidr& inner) const {
  return inner.prefix >= prefix && (inner.address & Mask()) == address;
}

bool Cidr::Overlaps(const Cidr& other) const { return Contains(other) || other.Contains(*this); }

std::string Cidr::ToString() const { return fmt::format("{}/{}", FormatIpv4(address), prefix); }

std::optional<uint32_t> ParseIpv4(std::string_view text) {
  uint32_t address = 0;
  size_t pos = 0;
  for (int part = 0; part < 4; ++part) {
    if (part > 0) {
      if (pos >= text.size() || text[pos] != '.') {
        return std::nullopt;
      }
      ++pos;
    }
    unsigned octet = 0;
    const char* begin = text.data() + pos;
    const char* end = text.data() + text.size();
    auto [next, ec] = std::from_chars(begin, end, octet);
    if (ec != std::errc() || next == begin || next - begin > 3 || octet > 255) {
      return std::nullopt;
    }
    pos += static_cast<size_t>(next - begin);
    address = (address << 8) | octet;
  }
  if (pos != text.size()) {
    return std::nullopt;
  }
  return address;
}

std::string FormatIpv4(uint32_t a) {
  return fmt::format("{}.{}.{}.{}", a >> 24, (a >> 16) & 0xFF, (a >> 8) & 0xFF, a & 0xFF);
}

std::optional<Cidr> ParseCidr(std::string_view text) {
  const size_t slash = text.find('/');
  if (slash == std::string_view::npos) {
    return std::nullopt;
  }
  auto address = ParseIpv4(text.substr(0, slash));
  const std::string_view prefix_text = text.substr(slash + 1);
  int prefix = -1;
  auto [next, ec] =
      std::from_chars(prefix_text.data(), prefix_text.data() + prefix_text.size(), prefix);
  if (!address || ec != std::errc() || next != prefix_text.data() + prefix_text.size() ||
      prefix < 0 || prefix > 32 || prefix_text.empty()) {
    return std::nullopt;
  }
  Cidr cidr{*address, prefix};
  if ((cidr.address & cidr.Mask()) != cidr.address) {
    return std::nullopt;
  }
  return cidr;
}

}  // namespace ec2m
