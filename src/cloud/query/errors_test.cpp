#include "cloud/query/errors.hpp"

#include <gtest/gtest.h>

#include <map>
#include <pugixml.hpp>

namespace ec2m::query {
namespace {

TEST(ErrorsTest, EveryErrorCodeMapsToACodeAndStatus) {
  const std::map<ErrorCode, std::pair<std::string, int>> expected = {
      {ErrorCode::kInvalidArgument, {"InvalidParameterValue", 400}},
      {ErrorCode::kNotFound, {"InvalidParameterValue", 400}},
      {ErrorCode::kAlreadyExists, {"InvalidParameterValue", 400}},
      {ErrorCode::kFailedPrecondition, {"IncorrectState", 400}},
      {ErrorCode::kUnauthenticated, {"AuthFailure", 401}},
      {ErrorCode::kPermissionDenied, {"UnauthorizedOperation", 403}},
      {ErrorCode::kThrottled, {"RequestLimitExceeded", 503}},
      {ErrorCode::kUnavailable, {"Unavailable", 503}},
      {ErrorCode::kTimeout, {"RequestTimeout", 503}},
      {ErrorCode::kInternal, {"InternalError", 500}},
  };
  for (ErrorCode code : kAllErrorCodes) {
    SCOPED_TRACE(std::string(ErrorCodeName(code)));
    ASSERT_TRUE(expected.count(code));
    const Ec2ErrorCode mapped = ToEc2ErrorCode(Error{code, "m", "", ""});
    EXPECT_EQ(mapped.code, expected.at(code).first);
    EXPECT_EQ(mapped.http_status, expected.at(code).second);
    EXPECT_EQ(DefaultAwsCode(code), expected.at(code).first);
  }
}

TEST(ErrorsTest, AwsCodeWinsAndPicksTheStatus) {
  const std::pair<const char*, int> cases[] = {
      {"InvalidInstanceID.NotFound", 400},
      {"InvalidInstanceID.Malformed", 400},
      {"IncorrectInstanceState", 400},
      {"MissingParameter", 400},
      {"InvalidAction", 400},
      {"MissingAction", 400},
      {"IncompleteSignature", 400},
      {"RequestExpired", 400},
      {"AuthFailure", 401},
      {"MissingAuthenticationToken", 403},
      {"UnauthorizedOperation", 403},
      {"DryRunOperation", 412},
      {"InternalError", 500},
      {"InsufficientInstanceCapacity", 500},
      {"InsufficientAddressCapacity", 500},
      {"RequestLimitExceeded", 503},
      {"Unavailable", 503},
  };
  for (const auto& [aws_code, status] : cases) {
    // The ErrorCode does not matter once aws_code is set (DryRunOperation is kFailedPrecondition).
    const Ec2ErrorCode mapped =
        ToEc2ErrorCode(Error{ErrorCode::kFailedPrecondition, "m", aws_code, ""});
    EXPECT_EQ(mapped.code, aws_code);
    EXPECT_EQ(mapped.http_status, status) << aws_code;
  }
}

TEST(ErrorsTest, ErrorBodyShape) {
  const std::string xml =
      SerializeError(Error{ErrorCode::kNotFound, "The instance ID 'i-1a2b3c4d' does not exist",
                           "InvalidInstanceID.NotFound", ""},
                     "ea966190-f9aa-478e-9ede-000000000000");
  EXPECT_EQ(xml.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Errors><Error>", 0),
            0u);
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(xml.c_str()));
  pugi::xml_node root = doc.document_element();
  EXPECT_STREQ(root.name(), "Response");
  EXPECT_FALSE(root.attribute("xmlns"));
  EXPECT_STREQ(root.select_node("Errors/Error/Code").node().child_value(),
               "InvalidInstanceID.NotFound");
  EXPECT_STREQ(root.select_node("Errors/Error/Message").node().child_value(),
               "The instance ID 'i-1a2b3c4d' does not exist");
  EXPECT_STREQ(root.child_value("RequestID"), "ea966190-f9aa-478e-9ede-000000000000");
  EXPECT_FALSE(root.child("requestId"));
}

TEST(ErrorsTest, MessagesAreEscaped) {
  const std::string xml = SerializeError(
      Error{ErrorCode::kInvalidArgument, "bad <value> & \"quote\"\x01", "", ""}, "r");
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(xml.c_str()));
  EXPECT_STREQ(doc.select_node("/Response/Errors/Error/Message").node().child_value(),
               "bad <value> & \"quote\"\xEF\xBF\xBD");
  EXPECT_STREQ(doc.select_node("/Response/Errors/Error/Code").node().child_value(),
               "InvalidParameterValue");
}

}  // namespace
}  // namespace ec2m::query
