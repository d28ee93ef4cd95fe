// EC2 error bodies → Error, and the EC2 code → ErrorCode table against errors.hpp.

#include "cloud/query/client_errors.hpp"

#include <gtest/gtest.h>

#include "cloud/query/errors.hpp"

namespace ec2m::query {
namespace {

std::string Ec2Error(std::string_view code, std::string_view message = "m") {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>" +
         std::string(code) + "</Code><Message>" + std::string(message) +
         "</Message></Error></Errors><RequestID>rid-1</RequestID></Response>";
}

TEST(ClientErrorsTest, ReferenceExample) {
  const Error e =
      ParseErrorResponse(400, R"(<Response><Errors><Error><Code>InvalidInstanceID.NotFound</Code>
  <Message>The instance ID 'i-1a2b3c4d' does not exist</Message></Error></Errors>
  <RequestID>ea966190-f9aa-478e-9ede-example</RequestID></Response>)");
  EXPECT_EQ(e.code, ErrorCode::kNotFound);
  EXPECT_EQ(e.aws_code, "InvalidInstanceID.NotFound");
  EXPECT_EQ(e.message, "The instance ID 'i-1a2b3c4d' does not exist");
  EXPECT_EQ(e.request_id, "ea966190-f9aa-478e-9ede-example");
}

struct CodeCase {
  const char* aws_code;
  int status;
  ErrorCode want;
};

TEST(ClientErrorsTest, CodeFamilies) {
  const std::vector<CodeCase> cases = {
      {"RequestLimitExceeded", 503, ErrorCode::kThrottled},
      {"Throttling", 400, ErrorCode::kThrottled},
      {"ThrottlingException", 400, ErrorCode::kThrottled},
      {"EC2ThrottledException", 400, ErrorCode::kThrottled},
      {"RequestThrottled", 400, ErrorCode::kThrottled},
      {"TooManyRequestsException", 400, ErrorCode::kThrottled},
      {"AuthFailure", 401, ErrorCode::kUnauthenticated},
      {"InvalidClientTokenId", 403, ErrorCode::kUnauthenticated},
      {"SignatureDoesNotMatch", 403, ErrorCode::kUnauthenticated},
      {"MissingAuthenticationToken", 403, ErrorCode::kUnauthenticated},
      {"IncompleteSignature", 400, ErrorCode::kUnauthenticated},
      {"RequestExpired", 400, ErrorCode::kUnauthenticated},
      {"UnauthorizedOperation", 403, ErrorCode::kPermissionDenied},
      {"InvalidInstanceID.NotFound", 400, ErrorCode::kNotFound},
      {"InvalidAMIID.NotFound", 400, ErrorCode::kNotFound},
      {"InvalidVpcID.NotFound", 400, ErrorCode::kNotFound},
      {"InvalidGroup.NotFound", 400, ErrorCode::kNotFound},
      {"InvalidGroup.Duplicate", 400, ErrorCode::kAlreadyExists},
      {"InvalidPermission.Duplicate", 400, ErrorCode::kAlreadyExists},
      {"IdempotentParameterMismatch", 400, ErrorCode::kAlreadyExists},
      {"IncorrectInstanceState", 400, ErrorCode::kFailedPrecondition},
      {"IncorrectState", 400, ErrorCode::kFailedPrecondition},
      {"OperationNotPermitted", 400, ErrorCode::kFailedPrecondition},
      {"DependencyViolation", 400, ErrorCode::kFailedPrecondition},
      {"DryRunOperation", 412, ErrorCode::kFailedPrecondition},
      {"CannotDelete", 400, ErrorCode::kFailedPrecondition},
      {"InsufficientInstanceCapacity", 500, ErrorCode::kUnavailable},
      {"InsufficientAddressCapacity", 500, ErrorCode::kUnavailable},
      {"Unavailable", 503, ErrorCode::kUnavailable},
      {"ServiceUnavailable", 503, ErrorCode::kUnavailable},
      {"InternalError", 500, ErrorCode::kUnavailable},
      {"InternalFailure", 500, ErrorCode::kUnavailable},
      {"RequestTimeout", 503, ErrorCode::kTimeout},
      {"InvalidParameterValue", 400, ErrorCode::kInvalidArgument},
      {"InvalidParameterCombination", 400, ErrorCode::kInvalidArgument},
      {"MissingParameter", 400, ErrorCode::kInvalidArgument},
      {"InvalidInstanceID.Malformed", 400, ErrorCode::kInvalidArgument},
      {"InvalidNextToken", 400, ErrorCode::kInvalidArgument},
      {"UnknownFutureCode", 400, ErrorCode::kInvalidArgument},
      {"UnknownFutureCode", 502, ErrorCode::kUnavailable},
  };
  for (const CodeCase& c : cases) {
    SCOPED_TRACE(c.aws_code);
    EXPECT_EQ(ErrorCodeForAwsCode(c.aws_code, c.status), c.want);
    const Error e = ParseErrorResponse(c.status, Ec2Error(c.aws_code, "why &amp; &lt;how&gt;"));
    EXPECT_EQ(e.code, c.want);
    EXPECT_EQ(e.aws_code, c.aws_code);
    EXPECT_EQ(e.message, "why & <how>");
    EXPECT_EQ(e.request_id, "rid-1");
  }
}

// The server's table (errors.hpp) read back: every ErrorCode whose generic EC2 code is not
// shared with another comes back as itself. kNotFound and kAlreadyExists share
// InvalidParameterValue with kInvalidArgument; kInternal's InternalError is, to a client, the
// server being unavailable.
TEST(ClientErrorsTest, InverseOfTheServerTable) {
  for (ErrorCode code : kAllErrorCodes) {
    SCOPED_TRACE(std::string(ErrorCodeName(code)));
    const Error sent{code, "message of " + std::string(ErrorCodeName(code)), "", ""};
    const Ec2ErrorCode wire = ToEc2ErrorCode(sent);
    const Error got = ParseErrorResponse(wire.http_status, SerializeError(sent, "req-7"));
    EXPECT_EQ(got.aws_code, wire.code);
    EXPECT_EQ(got.message, sent.message);
    EXPECT_EQ(got.request_id, "req-7");
    ErrorCode want = code;
    if (code == ErrorCode::kNotFound || code == ErrorCode::kAlreadyExists) {
      want = ErrorCode::kInvalidArgument;
    } else if (code == ErrorCode::kInternal) {
      want = ErrorCode::kUnavailable;
    }
    EXPECT_EQ(got.code, want);
  }
}

// Specific EC2 codes through SerializeError and back, with the status the server gives them.
TEST(ClientErrorsTest, SpecificCodesThroughTheServerTable) {
  const std::vector<std::pair<Error, ErrorCode>> cases = {
      {{ErrorCode::kNotFound, "no i-1", "InvalidInstanceID.NotFound", ""}, ErrorCode::kNotFound},
      {{ErrorCode::kAlreadyExists, "dup", "InvalidGroup.Duplicate", ""}, ErrorCode::kAlreadyExists},
      {{ErrorCode::kAlreadyExists, "tok", "IdempotentParameterMismatch", ""},
       ErrorCode::kAlreadyExists},
      {{ErrorCode::kFailedPrecondition, "dry", "DryRunOperation", ""},
       ErrorCode::kFailedPrecondition},
      {{ErrorCode::kUnavailable, "cap", "InsufficientInstanceCapacity", ""},
       ErrorCode::kUnavailable},
      {{ErrorCode::kUnauthenticated, "sig", "SignatureDoesNotMatch", ""},
       ErrorCode::kUnauthenticated},
  };
  for (const auto& [sent, want] : cases) {
    SCOPED_TRACE(sent.aws_code);
    const Error got =
        ParseErrorResponse(ToEc2ErrorCode(sent).http_status, SerializeError(sent, "r"));
    EXPECT_EQ(got.code, want);
    EXPECT_EQ(got.aws_code, sent.aws_code);
    EXPECT_EQ(got.message, sent.message);
  }
}

TEST(ClientErrorsTest, ErrorResponseShape) {
  const Error e =
      ParseErrorResponse(400, R"(<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <Error><Type>Sender</Type><Code>ExpiredToken</Code><Message>The security token included in the request is expired</Message></Error>
  <RequestId>4a8d5e1c-example</RequestId></ErrorResponse>)");
  EXPECT_EQ(e.code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(e.aws_code, "ExpiredToken");
  EXPECT_EQ(e.message, "The security token included in the request is expired");
  EXPECT_EQ(e.request_id, "4a8d5e1c-example");
}

struct BodyCase {
  int status;
  const char* body;
  ErrorCode want;
  const char* message_part;
};

TEST(ClientErrorsTest, BodiesWithoutAnErrorCode) {
  const std::vector<BodyCase> cases = {
      {503, "", ErrorCode::kUnavailable, "HTTP 503 without an EC2 error code (empty body)"},
      {502, "<html><body>502 Bad Gateway</body></html>", ErrorCode::kUnavailable,
       "HTTP 502 without an EC2 error code: <html><body>502 Bad Gateway"},
      {500, "", ErrorCode::kUnavailable, "HTTP 500"},
      {400, "garbage{]", ErrorCode::kInvalidArgument,
       "HTTP 400 without an EC2 error code: garbage{]"},
      {404, "Not Found", ErrorCode::kInvalidArgument, "HTTP 404"},
      {401, "", ErrorCode::kUnauthenticated, "HTTP 401"},
      {403, "Forbidden", ErrorCode::kPermissionDenied, "HTTP 403"},
      {408, "", ErrorCode::kTimeout, "HTTP 408"},
      {429, "slow down", ErrorCode::kThrottled, "HTTP 429"},
      {400, "<Response><Errors/></Response>", ErrorCode::kInvalidArgument, "HTTP 400"},
  };
  for (const BodyCase& c : cases) {
    SCOPED_TRACE(c.body);
    const Error e = ParseErrorResponse(c.status, c.body);
    EXPECT_EQ(e.code, c.want);
    EXPECT_TRUE(e.aws_code.empty());
    EXPECT_NE(e.message.find(c.message_part), std::string::npos) << e.message;
  }
}

TEST(ClientErrorsTest, CodeWithoutMessageNamesTheCodeAndStatus) {
  const Error e = ParseErrorResponse(
      400,
      "<Response><Errors><Error><Code>InvalidVpcID.NotFound</Code></Error></Errors></Response>");
  EXPECT_EQ(e.code, ErrorCode::kNotFound);
  EXPECT_EQ(e.message, "InvalidVpcID.NotFound (HTTP 400)");
  EXPECT_EQ(e.request_id, "");
}

TEST(ClientErrorsTest, LongBodiesAreCutInTheMessage) {
  const Error e = ParseErrorResponse(502, std::string(5000, 'x'));
  EXPECT_LT(e.message.size(), 300u);
}

}  // namespace
}  // namespace ec2m::query
