#include "server/identity.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cctype>

#include "auth/password.hpp"
#include "auth/password_policy.hpp"
#include "auth/tokens.hpp"
#include "auth/totp.hpp"
#include "core/json.hpp"
#include "core/text.hpp"

namespace ec2m::server {
namespace {

constexpr const char* kUsers = "users";
constexpr const char* kSessions = "sessions";
constexpr const char* kTokens = "tokens";
// One index document per API token, keyed "<email>/<token id>" with the token's hash as body: a
// user's tokens are listed without reading everyone's.
constexpr const char* kUserTokens = "user_tokens";
constexpr size_t kTokenIdHexDigits = 12;  // a token's id is "tok-" and the first 12 of its hash
constexpr const char* kInvalidLogin = "invalid email or password";
constexpr std::string_view kGeneratedPrefix = "Ec2m-";

Result<std::string> CheckEmail(const std::string& email) {
  const std::string e = AsciiLower(email);
  const size_t at = e.find('@');
  if (e.size() > 254 || at == std::string::npos || at == 0 || at + 1 >= e.size() ||
      e.find('@', at + 1) != std::string::npos ||
      std::any_of(e.begin(), e.end(), [](unsigned char c) { return std::isspace(c) != 0; })) {
    return Fail(ErrorCode::kInvalidArgument,
                "email: expected an address like alice@example.com, got " + ShownValue(email));
  }
  return e;
}

// A generated first password: 20 characters, a fixed prefix of three character classes and 15
// random base64url ones (90 bits), so it passes the policy and is easy to paste.
std::string OneTimePassword(Random& random) {
  return std::string(kGeneratedPrefix) + auth::NewToken(random, "").substr(0, 15);
}

std::string TimeText(int64_t ms) { return FormatIso8601(FromUnixMillis(ms)); }

nlohmann::json RolesToJson(const std::map<std::string, Role>& roles) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [env, role] : roles) {
    out[env] = std::string(RoleName(role));
  }
  return out;
}

std::string EncodeUser(const User& u) {
  return nlohmann::json{{"email", u.email},
                        {"password_hash", u.password_hash},
                        {"roles", RolesToJson(u.roles)},
                        {"disabled", u.disabled},
                        {"created_at", u.created_at},
                        {"mfa_enabled", u.mfa_enabled},
                        {"mfa_secret", u.mfa_secret},
                        {"mfa_pending_secret", u.mfa_pending_secret},
                        {"mfa_last_step", u.mfa_last_step},
                        {"recovery_hashes", u.recovery_hashes},
                        {"failed_logins", u.failed_logins},
                        {"locked_until_ms", u.locked_until_ms}}
      .dump();
}

Result<User> DecodeUser(const Doc& doc) {
  auto j = ParseJsonOrDiscard(doc.body);
  if (j.is_discarded()) {
    return Fail(ErrorCode::kInternal, "stored user " + doc.key + " does not parse");
  }
  User u;
  try {
    u.email = j.at("email").get<std::string>();
    u.password_hash = j.at("password_hash").get<std::string>();
    for (const auto& [env, role] : j.at("roles").items()) {
      auto r = ParseRole(role.get<std::string>());
      if (!r) {
        return Fail(ErrorCode::kInternal, "stored user " + doc.key + " has an unknown role");
      }
      u.roles[env] = *r;
    }
    u.disabled = j.at("disabled").get<bool>();
    u.created_at = j.at("created_at").get<std::string>();
    u.mfa_enabled = j.at("mfa_enabled").get<bool>();
    u.mfa_secret = j.at("mfa_secret").get<std::string>();
    u.mfa_pending_secret = j.at("mfa_pending_secret").get<std::string>();
    u.mfa_last_step = j.at("mfa_last_step").get<int64_t>();
    u.recovery_hashes = j.at("recovery_hashes").get<std::vector<std::string>>();
    u.failed_logins = j.at("failed_logins").get<int>();
    u.locked_until_ms = j.at("locked_until_ms").get<int64_t>();
  } catch (const nlohmann::json::exception& e) {
    return Fail(ErrorCode::kInternal, "stored user " + doc.key + " does not parse: " + e.what());
  }
  u.version = doc.version;
  return u;
}

ApiToken DecodeToken(const nlohmann::json& j) {
  ApiToken t;
  t.id = j.value("id", "");
  t.name = j.value("name", "");
  t.email = j.value("email", "");
  t.created_at = j.value("created_at", "");
  t.expires_at = j.value("expires_at", "");
  t.last_used_at = j.value("last_used_at", "");
  return t;
}

}  // namespace

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kViewer:
      return "viewer";
    case Role::kOperator:
      return "operator";
    case Role::kDeployer:
      return "deployer";
    case Role::kApprover:
      return "approver";
    case Role::kAdmin:
      return "admin";
  }
  return "unknown";
}

std::optional<Role> ParseRole(std::string_view name) {
  for (Role r : {Role::kViewer, Role::kOperator, Role::kDeployer, Role::kApprover, Role::kAdmin}) {
    if (RoleName(r) == name) {
      return r;
    }
  }
  return std::nullopt;
}

bool RoleAllows(Role held, Role needed) {
  if (held == Role::kAdmin || held == needed) {
    return true;
  }
  if (needed == Role::kViewer) {
    return true;  // every role can read
  }
  if (held == Role::kApprover || needed == Role::kApprover || needed == Role::kAdmin) {
    return false;
  }
  // viewer < operator < deployer
  return static_cast<int>(held) >= static_cast<int>(needed);
}

bool User::admin() const {
  auto it = roles.find(kAllEnvironments);
  return it != roles.end() && it->second == Role::kAdmin;
}

std::optional<Role> User::RoleIn(const std::string& environment) const {
  std::optional<Role> best;
  for (const std::string& key : {environment, std::string(kAllEnvironments)}) {
    auto it = roles.find(key);
    if (it == roles.end()) {
      continue;
    }
    // Of an environment role and a "*" role, the one that allows more wins.
    if (!best || (RoleAllows(it->second, *best) && it->second != *best)) {
      best = it->second;
    }
  }
  return best;
}

nlohmann::json UserToJson(const User& u) {
  return {{"email", u.email},       {"roles", RolesToJson(u.roles)},
          {"admin", u.admin()},     {"mfa_enabled", u.mfa_enabled},
          {"disabled", u.disabled}, {"created_at", u.created_at}};
}

nlohmann::json TokenToJson(const ApiToken& t) {
  nlohmann::json j = {{"id", t.id},
                      {"name", t.name},
                      {"email", t.email},
                      {"created_at", t.created_at},
                      {"expires_at", t.expires_at},
                      {"last_used_at", t.last_used_at.empty() ? nlohmann::json(nullptr)
                                                              : nlohmann::json(t.last_used_at)}};
  if (!t.token.empty()) {
    j["token"] = t.token;
  }
  return j;
}

void Identity::Audit(const std::string& actor, const std::string& action, const std::string& target,
                     const std::string& source, const std::string& result,
                     const std::string& detail) {
  // An audit failure must not turn a sign-in into an error the caller could probe; it is
  // counted and logged by the caller's metrics through the store's own errors.
  (void)audit_.Append({actor, action, target, "", source, result, detail});
}

Result<std::optional<User>> Identity::Load(const std::string& email) {
  auto doc = store_.GetDoc(kUsers, email);
  EC2M_RETURN_IF_ERROR(doc);
  if (!doc->has_value()) {
    return std::optional<User>();
  }
  auto user = DecodeUser(**doc);
  EC2M_RETURN_IF_ERROR(user);
  return std::optional<User>(std::move(*user));
}

Result<User> Identity::Save(User user) {
  const std::vector<DocWrite> writes = {{kUsers, user.email, EncodeUser(user), user.version}};
  auto versions = store_.WriteDocs(writes);
  EC2M_RETURN_IF_ERROR(versions);
  user.version = versions->front();
  return user;
}

Result<std::optional<std::string>> Identity::EnsureFirstAdmin(const std::string& email) {
  auto existing = store_.ListDocs(kUsers, {.limit = 1});
  EC2M_RETURN_IF_ERROR(existing);
  if (!existing->empty()) {
    return std::optional<std::string>();
  }
  auto normalized = CheckEmail(email);
  EC2M_RETURN_IF_ERROR(normalized);
  const std::string password = OneTimePassword(random_);
  auto saved = Create(*normalized, password, {{kAllEnvironments, Role::kAdmin}});
  if (!saved) {
    // Another replica created the first admin at the same time: that one stands.
    if (saved.error().code == ErrorCode::kAlreadyExists) {
      return std::optional<std::string>();
    }
    return Fail(saved.error());
  }
  Audit("system", "user.create", "user:" + saved->email, "", "success", "first admin");
  return std::optional<std::string>(password);
}

bool Identity::ConsumeSecondFactor(User& user, const std::string& code) {
  if (auto step = auth::VerifyTotp(user.mfa_secret, code, clock_.Now(), user.mfa_last_step)) {
    user.mfa_last_step = *step;
    return true;
  }
  const std::string hash = auth::RecoveryCodeHash(code);
  auto it = std::find(user.recovery_hashes.begin(), user.recovery_hashes.end(), hash);
  if (it == user.recovery_hashes.end()) {
    return false;
  }
  user.recovery_hashes.erase(it);
  return true;
}

Result<LoginResult> Identity::Login(const std::string& email_in, const std::string& password,
                                    const std::string& otp, const std::string& source) {
  const std::string email = AsciiLower(email_in);
  auto loaded = Load(email);
  EC2M_RETURN_IF_ERROR(loaded);
  if (!*loaded || (*loaded)->disabled) {
    // An unknown email takes as long to refuse as a wrong password.
    (void)auth::VerifyPassword(password, DummyHash());
    Audit(email, "auth.login", "user:" + email, source, "failure",
          *loaded ? "user disabled" : "unknown user");
    return Fail(ErrorCode::kUnauthenticated, kInvalidLogin);
  }
  User user = std::move(**loaded);
  const int64_t now = NowMs();
  if (user.locked_until_ms > now) {
    Audit(email, "auth.login", "user:" + email, source, "failure", "locked");
    return Fail(ErrorCode::kUnauthenticated,
                "too many failed sign-ins: locked until " + TimeText(user.locked_until_ms));
  }
  auto fail = [&](const std::string& message, const std::string& detail) -> Result<LoginResult> {
    ++user.failed_logins;
    std::string shown = message;
    if (user.failed_logins >= kMaxFailedLogins) {
      user.locked_until_ms = now + kLockoutMs;
      user.failed_logins = 0;
      shown = "too many failed sign-ins: locked until " + TimeText(user.locked_until_ms);
    }
    // A lost race with another sign-in only loses one count.
    (void)Save(user);
    Audit(email, "auth.login", "user:" + email, source, "failure", detail);
    return Fail(ErrorCode::kUnauthenticated, shown);
  };
  if (!auth::VerifyPassword(password, user.password_hash)) {
    return fail(kInvalidLogin, "wrong password");
  }
  bool mfa = false;
  if (user.mfa_enabled) {
    if (otp.empty()) {
      // Not a failure: the password was right and the client now asks for the code.
      return Fail(ErrorCode::kUnauthenticated, "otp: an MFA code is required");
    }
    if (!ConsumeSecondFactor(user, otp)) {
      return fail("otp: the code is not valid", "wrong MFA code");
    }
    mfa = true;
  }
  user.failed_logins = 0;
  user.locked_until_ms = 0;
  auto saved = Save(user);
  EC2M_RETURN_IF_ERROR(saved);
  const std::string token = auth::NewToken(random_, auth::kSessionTokenPrefix);
  const int64_t expires = now + kSessionMs;
  const nlohmann::json session = {
      {"email", email}, {"created_ms", now}, {"expires_ms", expires}, {"mfa_verified", mfa}};
  const std::vector<DocWrite> writes = {{kSessions, auth::TokenHash(token), session.dump(), 0}};
  EC2M_RETURN_IF_ERROR(store_.WriteDocs(writes));
  Audit(email, "auth.login", "user:" + email, source, "success", mfa ? "with MFA" : "");
  return LoginResult{token, TimeText(expires), std::move(*saved)};
}

Result<std::shared_ptr<const Principal>> Identity::Authenticate(const std::string& bearer,
                                                                const std::string& source) {
  const int64_t now = NowMs();
  const std::string hash = auth::TokenHash(bearer);
  {
    std::lock_guard lock(mu_);
    auto it = cache_.find(hash);
    if (it != cache_.end() && it->second.until_ms > now && it->second.principal->expires_ms > now) {
      return it->second.principal;
    }
  }
  const bool api = bearer.rfind(auth::kApiTokenPrefix, 0) == 0;
  const bool session = bearer.rfind(auth::kSessionTokenPrefix, 0) == 0;
  if (!api && !session) {
    return Fail(ErrorCode::kUnauthenticated, "the bearer token is not an ec2m token");
  }
  auto doc = store_.GetDoc(api ? kTokens : kSessions, hash);
  EC2M_RETURN_IF_ERROR(doc);
  if (!doc->has_value()) {
    return Fail(ErrorCode::kUnauthenticated, "the token is unknown, expired or revoked");
  }
  auto j = ParseJsonOrDiscard((*doc)->body);
  if (j.is_discarded()) {
    return Fail(ErrorCode::kInternal, "a stored token does not parse");
  }
  Principal p;
  p.api_token = api;
  p.expires_ms = j.value("expires_ms", int64_t{0});
  p.mfa_verified = j.value("mfa_verified", false);
  p.token_id = j.value("id", "");
  if (p.expires_ms <= now) {
    return Fail(ErrorCode::kUnauthenticated, "the token is unknown, expired or revoked");
  }
  auto user = Load(j.value("email", ""));
  EC2M_RETURN_IF_ERROR(user);
  if (!*user || (*user)->disabled) {
    return Fail(ErrorCode::kUnauthenticated, "the token's user is disabled or gone");
  }
  p.user = std::move(**user);
  if (api) {
    // A token use is audited when it is first trusted from the store, that is at most once per
    // kCacheMs per replica, not on every request.
    j["last_used_at"] = TimeText(now);
    const std::vector<DocWrite> writes = {{kTokens, hash, j.dump(), (*doc)->version}};
    (void)store_.WriteDocs(writes);
    Audit(p.user.email, "auth.token_use", "token:" + p.token_id, source, "success",
          j.value("name", ""));
  }
  auto shared = std::make_shared<const Principal>(std::move(p));
  std::lock_guard lock(mu_);
  cache_[hash] = Cached{shared, now + kCacheMs};
  return shared;
}

const std::string& Identity::DummyHash() {
  std::call_once(dummy_once_, [this] {
    auto hash = auth::HashPassword("not a password of anyone", random_);
    dummy_hash_ = hash ? *hash : "";
  });
  return dummy_hash_;
}

void Identity::Forget(const std::string& token_hash) {
  std::lock_guard lock(mu_);
  cache_.erase(token_hash);
}

void Identity::ForgetCached() {
  std::lock_guard lock(mu_);
  cache_.clear();
}

Result<void> Identity::Logout(const std::string& bearer, const Principal& who,
                              const std::string& source) {
  const std::string hash = auth::TokenHash(bearer);
  Forget(hash);
  if (!who.api_token) {
    const std::vector<DocWrite> writes = {{kSessions, hash, std::nullopt}};
    EC2M_RETURN_IF_ERROR(store_.WriteDocs(writes));
  }
  Audit(who.user.email, "auth.logout", "user:" + who.user.email, source, "success", "");
  return {};
}

Result<User> Identity::SignUp(const std::string& email_in, const std::string& password,
                              const std::vector<std::string>& environments,
                              const std::string& source) {
  if (environments.empty()) {
    return Fail(ErrorCode::kPermissionDenied,
                "self sign-up is not enabled in any environment (cognito.selfSignUpEnabled)");
  }
  auto email = CheckEmail(email_in);
  EC2M_RETURN_IF_ERROR(email);
  EC2M_RETURN_IF_ERROR(auth::CheckPasswordPolicy(password, *email));
  std::map<std::string, Role> roles;
  for (const auto& env : environments) {
    roles[env] = Role::kViewer;
  }
  auto saved = Create(*email, password, roles);
  EC2M_RETURN_IF_ERROR(saved);
  Audit(*email, "user.signup", "user:" + *email, source, "success", "");
  return saved;
}

Result<User> Identity::Create(const std::string& email, const std::string& password,
                              const std::map<std::string, Role>& roles) {
  auto hash = auth::HashPassword(password, random_);
  EC2M_RETURN_IF_ERROR(hash);
  User u;
  u.email = email;
  u.password_hash = *hash;
  u.roles = roles;
  u.created_at = TimeText(NowMs());
  auto saved = Save(u);
  if (!saved && saved.error().code == ErrorCode::kAlreadyExists) {
    return Fail(ErrorCode::kAlreadyExists, "user " + email + " already exists");
  }
  return saved;
}

Result<std::vector<User>> Identity::ListUsers() {
  auto docs = store_.ListDocs(kUsers, {});
  EC2M_RETURN_IF_ERROR(docs);
  std::vector<User> users;
  users.reserve(docs->size());
  for (const Doc& d : *docs) {
    auto u = DecodeUser(d);
    EC2M_RETURN_IF_ERROR(u);
    users.push_back(std::move(*u));
  }
  return users;
}

Result<User> Identity::GetUser(const std::string& email) {
  auto u = Load(AsciiLower(email));
  EC2M_RETURN_IF_ERROR(u);
  if (!*u) {
    return Fail(ErrorCode::kNotFound, "user " + email + " not found");
  }
  return std::move(**u);
}

Result<User> Identity::CreateUser(const std::string& email_in, const std::string& password_in,
                                  const std::map<std::string, Role>& roles, const Principal& who,
                                  const std::string& source, std::string* generated) {
  auto email = CheckEmail(email_in);
  EC2M_RETURN_IF_ERROR(email);
  std::string password = password_in;
  if (password.empty()) {
    password = OneTimePassword(random_);
    if (generated != nullptr) {
      *generated = password;
    }
  } else {
    EC2M_RETURN_IF_ERROR(auth::CheckPasswordPolicy(password, *email));
  }
  auto saved = Create(*email, password, roles);
  EC2M_RETURN_IF_ERROR(saved);
  Audit(who.user.email, "user.create", "user:" + *email, source, "success",
        RolesToJson(roles).dump());
  return saved;
}

Result<User> Identity::UpdateUser(const std::string& email,
                                  const std::optional<std::map<std::string, Role>>& roles,
                                  std::optional<bool> disabled, const Principal& who,
                                  const std::string& source) {
  auto user = GetUser(email);
  EC2M_RETURN_IF_ERROR(user);
  if (user->email == who.user.email &&
      ((roles && !roles->count(kAllEnvironments) && who.user.admin()) ||
       disabled.value_or(false))) {
    return Fail(ErrorCode::kFailedPrecondition,
                "you cannot remove your own admin role or disable yourself; ask another admin");
  }
  std::string detail;
  if (roles) {
    user->roles = *roles;
    detail += "roles " + RolesToJson(*roles).dump();
  }
  if (disabled) {
    user->disabled = *disabled;
    detail += std::string(detail.empty() ? "" : "; ") + (*disabled ? "disabled" : "enabled");
  }
  auto saved = Save(std::move(*user));
  EC2M_RETURN_IF_ERROR(saved);
  ForgetCached();
  Audit(who.user.email, "user.update", "user:" + saved->email, source, "success", detail);
  return saved;
}

Result<void> Identity::DeleteUser(const std::string& email, const Principal& who,
                                  const std::string& source) {
  auto user = GetUser(email);
  EC2M_RETURN_IF_ERROR(user);
  if (user->email == who.user.email) {
    return Fail(ErrorCode::kFailedPrecondition, "you cannot delete yourself");
  }
  const std::vector<DocWrite> writes = {{kUsers, user->email, std::nullopt, user->version}};
  EC2M_RETURN_IF_ERROR(store_.WriteDocs(writes));
  ForgetCached();
  Audit(who.user.email, "user.delete", "user:" + user->email, source, "success", "");
  return {};
}

Result<void> Identity::ChangePassword(const Principal& who, const std::string& current,
                                      const std::string& next, const std::string& source) {
  auto user = GetUser(who.user.email);
  EC2M_RETURN_IF_ERROR(user);
  if (!auth::VerifyPassword(current, user->password_hash)) {
    Audit(who.user.email, "user.password", "user:" + who.user.email, source, "failure",
          "wrong current password");
    return Fail(ErrorCode::kPermissionDenied, "current: the password is not right");
  }
  EC2M_RETURN_IF_ERROR(auth::CheckPasswordPolicy(next, user->email));
  auto hash = auth::HashPassword(next, random_);
  EC2M_RETURN_IF_ERROR(hash);
  user->password_hash = *hash;
  EC2M_RETURN_IF_ERROR(Save(std::move(*user)));
  Audit(who.user.email, "user.password", "user:" + who.user.email, source, "success", "");
  return {};
}

Result<MfaEnrollment> Identity::BeginMfa(const Principal& who, const std::string& source) {
  auto user = GetUser(who.user.email);
  EC2M_RETURN_IF_ERROR(user);
  user->mfa_pending_secret = auth::NewTotpSecret(random_);
  const MfaEnrollment out{user->mfa_pending_secret,
                          auth::OtpauthUri(user->mfa_pending_secret, "ec2m", user->email)};
  EC2M_RETURN_IF_ERROR(Save(std::move(*user)));
  Audit(who.user.email, "user.mfa_enroll", "user:" + who.user.email, source, "success", "started");
  return out;
}

Result<std::vector<std::string>> Identity::ConfirmMfa(const Principal& who,
                                                      const std::string& bearer,
                                                      const std::string& otp,
                                                      const std::string& source) {
  auto user = GetUser(who.user.email);
  EC2M_RETURN_IF_ERROR(user);
  if (user->mfa_pending_secret.empty()) {
    return Fail(ErrorCode::kFailedPrecondition, "no MFA enrolment in progress: enrol first");
  }
  auto step = auth::VerifyTotp(user->mfa_pending_secret, otp, clock_.Now(), -1);
  if (!step) {
    Audit(who.user.email, "user.mfa_enroll", "user:" + who.user.email, source, "failure",
          "wrong code");
    return Fail(ErrorCode::kInvalidArgument, "otp: the code is not valid for the new secret");
  }
  std::vector<std::string> codes = auth::NewRecoveryCodes(random_);
  user->mfa_enabled = true;
  user->mfa_secret = user->mfa_pending_secret;
  user->mfa_pending_secret.clear();
  user->mfa_last_step = *step;
  user->recovery_hashes.clear();
  for (const auto& c : codes) {
    user->recovery_hashes.push_back(auth::RecoveryCodeHash(c));
  }
  EC2M_RETURN_IF_ERROR(Save(std::move(*user)));
  if (!who.api_token) {
    // The session that proved the code is MFA-verified from now on.
    const std::string hash = auth::TokenHash(bearer);
    auto doc = store_.GetDoc(kSessions, hash);
    EC2M_RETURN_IF_ERROR(doc);
    if (doc->has_value()) {
      auto j = ParseJsonOrDiscard((*doc)->body);
      j["mfa_verified"] = true;
      const std::vector<DocWrite> writes = {{kSessions, hash, j.dump(), (*doc)->version}};
      EC2M_RETURN_IF_ERROR(store_.WriteDocs(writes));
    }
    Forget(hash);
  }
  Audit(who.user.email, "user.mfa_enroll", "user:" + who.user.email, source, "success", "enabled");
  return codes;
}

Result<ApiToken> Identity::CreateToken(const Principal& who, const std::string& name, int64_t days,
                                       const std::string& source) {
  if (name.empty() || name.size() > 64) {
    return Fail(ErrorCode::kInvalidArgument, "name: expected 1..64 characters");
  }
  if (days < 1 || days > 366) {
    return Fail(ErrorCode::kInvalidArgument,
                fmt::format("expires_in_days: expected 1..366, got {}", days));
  }
  const int64_t now = NowMs();
  ApiToken t;
  t.token = auth::NewToken(random_, auth::kApiTokenPrefix);
  const std::string hash = auth::TokenHash(t.token);
  t.id = "tok-" + hash.substr(0, kTokenIdHexDigits);
  t.name = name;
  t.email = who.user.email;
  t.created_at = TimeText(now);
  const int64_t expires = now + days * 24 * 60 * 60 * 1000;
  t.expires_at = TimeText(expires);
  const nlohmann::json doc = {{"id", t.id},
                              {"name", name},
                              {"email", t.email},
                              {"created_at", t.created_at},
                              {"expires_at", t.expires_at},
                              {"expires_ms", expires},
                              {"mfa_verified", who.mfa_verified}};
  const std::vector<DocWrite> writes = {{kTokens, hash, doc.dump(), 0},
                                        {kUserTokens, t.email + "/" + t.id, hash, 0}};
  EC2M_RETURN_IF_ERROR(store_.WriteDocs(writes));
  Audit(who.user.email, "token.create", "token:" + t.id, source, "success", name);
  return t;
}

Result<std::vector<ApiToken>> Identity::ListTokens(const Principal& who) {
  auto index = store_.ListDocs(kUserTokens, {.prefix = who.user.email + "/"});
  EC2M_RETURN_IF_ERROR(index);
  std::vector<ApiToken> out;
  for (const Doc& entry : *index) {
    auto doc = store_.GetDoc(kTokens, entry.body);
    EC2M_RETURN_IF_ERROR(doc);
    if (!doc->has_value()) {
      continue;
    }
    auto j = ParseJsonOrDiscard((*doc)->body);
    if (!j.is_discarded()) {
      out.push_back(DecodeToken(j));
    }
  }
  return out;
}

Result<void> Identity::RevokeToken(const Principal& who, const std::string& id,
                                   const std::string& source) {
  auto not_found = [&id] { return Fail(ErrorCode::kNotFound, "token " + id + " not found"); };
  const std::string digits = id.rfind("tok-", 0) == 0 ? id.substr(4) : "";
  if (digits.size() != kTokenIdHexDigits ||
      digits.find_first_not_of("0123456789abcdef") != std::string::npos) {
    return not_found();
  }
  // The id is the hash's beginning, so the token is found by prefix.
  auto docs = store_.ListDocs(kTokens, {.prefix = digits, .limit = 2});
  EC2M_RETURN_IF_ERROR(docs);
  if (docs->size() != 1) {
    return not_found();
  }
  const Doc& d = docs->front();
  auto j = ParseJsonOrDiscard(d.body);
  const std::string owner = j.is_discarded() ? "" : j.value("email", "");
  if (owner != who.user.email && !who.user.admin()) {
    return not_found();  // someone else's token: not found, as far as this caller may know
  }
  const std::vector<DocWrite> writes = {{kTokens, d.key, std::nullopt},
                                        {kUserTokens, owner + "/" + id, std::nullopt}};
  EC2M_RETURN_IF_ERROR(store_.WriteDocs(writes));
  Forget(d.key);
  Audit(who.user.email, "token.revoke", "token:" + id, source, "success", "");
  return {};
}

}  // namespace ec2m::server
