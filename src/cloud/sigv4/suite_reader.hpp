#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "cloud/sigv4/sigv4.hpp"

// Test-only: reads the SigV4 test-vector suites in tests/testdata/sigv4 (see its README.md) into
// requests, signing parameters and expected outputs. Functions throw std::runtime_error (or
// nlohmann::json errors) on malformed data, which the tests report as failures.
namespace ec2m::sigv4::suite {

// How a header line that starts with whitespace (obs-fold) is read. The 2015 suite treats it as
// another value of the same header (its expected canonical value is "value1,value2,value3"); the
// aws-c-auth suite as a continuation of the value ("value1 value2 value3").
enum class FoldMode { kSeparateValues, kContinuation };

// Parses "METHOD target HTTP/1.1\nName:value\n...\n\nbody". The target is split at the first '?';
// header values lose surrounding whitespace; the body is everything after the first blank line.
HttpRequest ParseRequestText(std::string_view text, FoldMode fold);

enum class Variant { kHeader, kQuery };

// One test case: `path` is the case directory, or ec2-vectors.txt for the EC2 vectors (then
// `name` picks the vector).
struct CaseRef {
  std::string suite;  // "classic", "crt" or "ec2"
  std::string name;
  std::filesystem::path path;
  Variant variant = Variant::kHeader;
};

// The test name gtest shows: suite, case and variant with '-' turned into '_'.
std::string TestName(const CaseRef& ref);

// Every case under `root` (tests/testdata/sigv4), sorted: each classic-2015 case, each aws-c-auth
// case in both variants, each EC2 vector.
std::vector<CaseRef> DiscoverCases(const std::filesystem::path& root);

// A case loaded: what to sign, how, and what the suite expects.
struct SuiteCase {
  Variant variant = Variant::kHeader;
  HttpRequest unsigned_request;
  SigningParams params;
  std::string canonical_request;
  std::string string_to_sign;
  std::string signature;
  std::string authorization;    // header variant only
  HttpRequest expected_signed;  // what SignHeaders / Presign must produce
  HttpRequest wire_request;     // the signed request as received, for Verify
};

SuiteCase LoadCase(const CaseRef& ref);

}  // namespace ec2m::sigv4::suite
