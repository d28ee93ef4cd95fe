#include "auth/password.hpp"

#include <gtest/gtest.h>

#include <initializer_list>
#include <regex>

#include "auth/secure_random.hpp"

namespace ec2m::auth {
namespace {

// Cheap costs so the suite stays fast; the defaults are exercised once.
constexpr Argon2Params kCheap{.memory_kib = 64, .iterations = 1, .parallelism = 1};

// Reference vectors of the argon2 authors (phc-winner-argon2 src/test.c): "password" with salt
// "somesalt".
constexpr std::string_view kReferenceP1 =
    "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4";
constexpr std::string_view kReferenceP2 =
    "$argon2id$v=19$m=256,t=2,p=2$c29tZXNhbHQ$bQk8UB/VmZZF4Oo79iDXuL5/0ttZwg2f/5U52iv1cDc";

// kReferenceP1's salt and hash after another header.
std::string WithReferenceSaltAndHash(std::string_view header) {
  return std::string(header) + "$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4";
}

std::string MustHash(std::string_view password, Random& random, const Argon2Params& params) {
  auto encoded = HashPassword(password, random, params);
  EXPECT_TRUE(encoded.has_value()) << (encoded ? "" : encoded.error().ToString());
  return encoded ? *encoded : std::string();
}

// `encoded` verifies `password` and none of `wrong`.
void ExpectOnlyVerifies(std::string_view encoded, std::string_view password,
                        std::initializer_list<std::string_view> wrong) {
  EXPECT_TRUE(VerifyPassword(password, encoded)) << encoded;
  for (std::string_view other : wrong) {
    EXPECT_FALSE(VerifyPassword(other, encoded)) << encoded << " with " << other;
  }
}

TEST(PasswordTest, VerifiesTheArgon2ReferenceVectors) {
  ExpectOnlyVerifies(kReferenceP1, "password", {"passwore", "Password", "password ", ""});
  ExpectOnlyVerifies(kReferenceP2, "password", {"passwore"});
}

TEST(PasswordTest, HashIsPhcArgon2idWithSixteenByteSalt) {
  SecureRandom random;
  const std::string encoded = MustHash("correct horse battery", random, kCheap);
  // 16 bytes of salt and 32 of hash in unpadded base64: 22 and 43 characters.
  EXPECT_TRUE(std::regex_match(
      encoded,
      std::regex(R"(\$argon2id\$v=19\$m=64,t=1,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43})")))
      << encoded;
  ExpectOnlyVerifies(encoded, "correct horse battery",
                     {"correct horse battery ", "Correct horse battery"});
}

TEST(PasswordTest, EachHashHasItsOwnSalt) {
  SecureRandom random;
  const std::string a = MustHash("same password", random, kCheap);
  const std::string b = MustHash("same password", random, kCheap);
  EXPECT_NE(a, b);
  ExpectOnlyVerifies(a, "same password", {});
  ExpectOnlyVerifies(b, "same password", {});
}

TEST(PasswordTest, SaltComesFromTheInjectedRandom) {
  DefaultRandom a(11);
  DefaultRandom b(11);
  EXPECT_EQ(MustHash("pw", a, kCheap), MustHash("pw", b, kCheap));
}

TEST(PasswordTest, EmptyAndBinaryPasswordsRoundTrip) {
  SecureRandom random;
  const std::string binary("a\0b\xff", 4);
  for (std::string_view password : {std::string_view(), std::string_view(binary)}) {
    const std::string encoded = MustHash(password, random, kCheap);
    ExpectOnlyVerifies(encoded, password, {"x", std::string_view("a\0b", 3)});
  }
}

TEST(PasswordTest, DefaultsAreOwaspMinimumAndVerify) {
  SecureRandom random;
  const std::string encoded = MustHash("a Reasonable passw0rd", random, {});
  EXPECT_EQ(encoded.rfind("$argon2id$v=19$m=19456,t=2,p=1$", 0), 0u) << encoded;
  ExpectOnlyVerifies(encoded, "a Reasonable passw0rd", {"a reasonable passw0rd"});
  EXPECT_FALSE(NeedsRehash(encoded));
}

TEST(PasswordTest, HashRejectsCostsOutOfRange) {
  SecureRandom random;
  const Argon2Params cases[] = {
      {.memory_kib = 64, .iterations = 0, .parallelism = 1},
      {.memory_kib = 64, .iterations = 65, .parallelism = 1},
      {.memory_kib = 64, .iterations = 1, .parallelism = 0},
      {.memory_kib = 64, .iterations = 1, .parallelism = 65},
      {.memory_kib = 7, .iterations = 1, .parallelism = 1},
      {.memory_kib = 15, .iterations = 1, .parallelism = 2},
      {.memory_kib = kMaxArgon2MemoryKib + 1, .iterations = 1, .parallelism = 1},
  };
  for (const auto& params : cases) {
    const auto encoded = HashPassword("hunter2hunter2", random, params);
    ASSERT_FALSE(encoded.has_value())
        << params.memory_kib << "," << params.iterations << "," << params.parallelism;
    EXPECT_EQ(encoded.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(encoded.error().message.find("out of range"), std::string::npos);
    EXPECT_EQ(encoded.error().message.find("hunter2"), std::string::npos);
  }
  EXPECT_EQ(HashPassword("pw", random, {.memory_kib = 64, .iterations = 1, .parallelism = 64})
                .error()
                .message,
            "argon2id parameters m=64,t=1,p=64 are out of range (t 1..64, p 1..64, m "
            "8*p..1048576 KiB)");
}

TEST(PasswordTest, MalformedEncodingsNeverVerify) {
  const std::string valid(kReferenceP1);
  const std::string cases[] = {
      "",
      "password",
      "$argon2id$",
      WithReferenceSaltAndHash("$argon2i$v=19$m=256,t=2,p=1"),
      WithReferenceSaltAndHash("$argon2id$m=256,t=2,p=1"),
      WithReferenceSaltAndHash("$argon2id$v=16$m=256,t=2,p=1"),
      WithReferenceSaltAndHash("$argon2id$v=19$m=256,t=2"),
      WithReferenceSaltAndHash("$argon2id$v=19$m=256,t=0,p=1"),
      WithReferenceSaltAndHash("$argon2id$v=19$m=256,t=2,p=0"),
      WithReferenceSaltAndHash("$argon2id$v=19$m=4294967295,t=2,p=1"),
      WithReferenceSaltAndHash("$argon2id$v=19$m=99999999999,t=2,p=1"),
      WithReferenceSaltAndHash("$argon2id$v=19$m=256,t=4294967295,p=1"),
      WithReferenceSaltAndHash("$argon2id$v=19$m=-256,t=2,p=1"),
      "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$",
      "$argon2id$v=19$m=256,t=2,p=1$$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
      "$argon2id$v=19$m=256,t=2,p=1$c29t!XNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
      valid.substr(0, valid.size() - 1),
      valid + "=",
      valid + "$extra",
      valid.substr(0, 40) + std::string(1, '\0') + valid.substr(41),
      valid + std::string(1, '\0'),
  };
  for (const auto& encoded : cases) {
    EXPECT_FALSE(VerifyPassword("password", encoded)) << encoded;
  }
}

TEST(PasswordTest, NeedsRehashWhenAnyCostDiffersOrTheEncodingIsForeign) {
  const Argon2Params reference{.memory_kib = 256, .iterations = 2, .parallelism = 1};
  EXPECT_FALSE(NeedsRehash(kReferenceP1, reference));
  EXPECT_TRUE(NeedsRehash(kReferenceP1));  // the defaults are stronger
  EXPECT_TRUE(NeedsRehash(kReferenceP1, {.memory_kib = 512, .iterations = 2, .parallelism = 1}));
  EXPECT_TRUE(NeedsRehash(kReferenceP1, {.memory_kib = 256, .iterations = 3, .parallelism = 1}));
  EXPECT_TRUE(NeedsRehash(kReferenceP2, reference));
  EXPECT_TRUE(NeedsRehash(WithReferenceSaltAndHash("$argon2i$v=19$m=256,t=2,p=1"), reference));
  EXPECT_TRUE(NeedsRehash(WithReferenceSaltAndHash("$argon2id$v=16$m=256,t=2,p=1"), reference));
  EXPECT_TRUE(NeedsRehash("garbage", reference));
}

}  // namespace
}  // namespace ec2m::auth
