#include "server/identity.hpp"

#include <fmt/core.h>

#include <algorithm>

#include "auth/password.hpp"
#include "auth/password_policy.hpp"
#include "auth/secure_random.hpp"
#include "auth/tokens.hpp"
#include "auth/totp.hpp"
#include "core/digest.hpp"
#include "core/json.hpp"
#include "core/text.hpp"
#include "core/utf8.hpp"

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
constexpr std::string_view kSealPurpose = "secrets";
// A login whose user document moved meanwhile (another sign-in of the same user) reads it again.
constexpr int kMaxSaveRaces = 20;
constexpr int64_t kDayMs = 24 * 60 * 60 * 1000;

// An email as ec2m takes one: at most 254 bytes of UTF-8, one '@' with something either side, no
// spaces or control characters. Lower-cased. The message never repeats the input.
Result<std::string> CheckEmail(const std::string& email) {
  const std::string e = AsciiLower(email);
  const size_t at = e.find('@');
  const bool plain = std::none_of(e.begin(), e.end(), [](char c) {
    const auto b = static_cast<unsigned char>(c);
    return b <= 0x20 || b == 0x7f;
  });
  if (e.size() > 254 || at == std::string::npos || at == 0 || at + 1 >= e.size() ||
      e.find('@', at + 1) != std::string::npos || !plain || !IsValidUtf8(e)) {
    return Fail(ErrorCode::kInvalidArgument,
                "email: expected an address like alice@example.com (at most 254 characters, one "
                "@, no spaces or control characters)");
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

bool LostRace(const Error& e) {
  return e.code == ErrorCode::kFailedPrecondition || e.code == ErrorCode::kAlreadyExists;
}

// What a sealed MFA secret of `email` is bound to.
std::string SealContext(const std::string& email, std::string_view field) {
  return "user " + email + " " + std::string(field);
}

// Keeps the most recent kMaxTrustedSources addresses of the last kTrustedSourceDays.
void PruneTrusted(std::map<std::string, int64_t>& sources, int64_t now) {
  std::erase_if(sources, [now](const auto& s) {
    return now - s.second > Identity::kTrustedSourceDays * kDayMs;
  });
  while (sources.size() > Identity::kMaxTrustedSources) {
    auto oldest =
        std::min_element(sources.begin(), sources.end(),
                         [](const auto& a, const auto& b) { return a.second < b.second; });
    sources.erase(oldest);
  }
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

std::string Identity::Encode(const User& u) {
  auto sealed = [&](const std::string& value, std::string_view field) {
    return keys_ == nullptr || value.empty()
               ? value
               : keys_->Seal(kSealPurpose, value, SealContext(u.email, field), random_);
  };
  return nlohmann::json{{"email", u.email},
                        {"uid", u.uid},
                        {"credential_epoch", u.credential_epoch},
                        {"password_hash", u.password_hash},
                        {"roles", RolesToJson(u.roles)},
                        {"disabled", u.disabled},
                        {"created_at", u.created_at},
                        {"mfa_enabled", u.mfa_enabled},
                        {"mfa_secret", sealed(u.mfa_secret, "mfa_secret")},
                        {"mfa_pending_secret", sealed(u.mfa_pending_secret, "mfa_pending_secret")},
                        {"mfa_last_step", u.mfa_last_step},
                        {"recovery_hashes", u.recovery_hashes},
                        {"trusted_sources", u.trusted_sources}}
      .dump();
}

Result<User> Identity::Decode(const Doc& doc) const {
  auto damaged = [&doc](const std::string& what) {
    return Fail(ErrorCode::kInternal, "stored user " + ShownValue(doc.key) + " " + what);
  };
  const nlohmann::json j = ParseJsonOrDiscard(doc.body);
  if (!j.is_object()) {
    return damaged("does not parse");
  }
  User u;
  try {
    u.email = j.at("email").get<std::string>();
    u.uid = j.value("uid", "");
    u.credential_epoch = j.value("credential_epoch", int64_t{0});
    u.password_hash = j.at("password_hash").get<std::string>();
    for (const auto& [env, role] : j.at("roles").items()) {
      auto r = ParseRole(role.get<std::string>());
      if (!r) {
        return damaged("has an unknown role");
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
    u.trusted_sources = j.value("trusted_sources", std::map<std::string, int64_t>{});
  } catch (const nlohmann::json::exception&) {
    return damaged("does not parse");
  }
  // Secrets written before the key file sealed them are read as they are, and sealed when the
  // user is next saved.
  for (auto [value, field] : {std::pair{&u.mfa_secret, "mfa_secret"},
                              std::pair{&u.mfa_pending_secret, "mfa_pending_secret"}}) {
    if (keys_ != nullptr && auth::KeyRing::IsSealed(*value)) {
      auto opened = keys_->Open(kSealPurpose, *value, SealContext(u.email, field));
      if (!opened) {
        return damaged(std::string("has an MFA secret that does not open: ") +
                       opened.error().message);
      }
      *value = std::move(*opened);
    }
  }
  u.version = doc.version;
  return u;
}

void Identity::Audit(const std::string& actor, const std::string& action, const std::string& target,
                     const std::string& source, const std::string& result,
                     const std::string& detail) {
  // For records of what did not change anything (a refused sign-in): an audit failure must not
  // turn the answer into an error the caller could probe.
  (void)audit_.Append({actor, action, target, "", source, result, detail});
}

Result<std::optional<User>> Identity::Load(const std::string& email) {
  auto doc = store_.GetDoc(kUsers, email);
  EC2M_RETURN_IF_ERROR(doc);
  if (!doc->has_value()) {
    return std::optional<User>();
  }
  auto user = Decode(**doc);
  EC2M_RETURN_IF_ERROR(user);
  return std::optional<User>(std::move(*user));
}

Result<User> Identity::Commit(User user, const audit::AuditRecord& record,
                              std::vector<DocWrite> extra) {
  std::vector<DocWrite> writes = {{kUsers, user.email, Encode(user), user.version}};
  std::move(extra.begin(), extra.end(), std::back_inserter(writes));
  auto committed = audit_.Commit(record, std::move(writes));
  EC2M_RETURN_IF_ERROR(committed);
  user.version = committed->versions.front();
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
  auto saved =
      Create(*normalized, password, {{kAllEnvironments, Role::kAdmin}},
             {"system", "user.create", "user:" + *normalized, "", "", "success", "first admin"});
  if (!saved) {
    // Another replica created the first admin at the same time: that one stands.
    if (saved.error().code == ErrorCode::kAlreadyExists) {
      return std::optional<std::string>();
    }
    return Fail(saved.error());
  }
  return std::optional<std::string>(password);
}

bool Identity::ConsumeSecondFactor(User& user, const std::string& code) {
  if (auto step = auth::VerifyTotp(user.mfa_secret, code, clock_.Now(), user.mfa_last_step)) {
    user.mfa_last_step = *step;
    return true;
  }
  const std::string hash = auth::RecoveryCodeHash(code);
  auto it = std::find_if(user.recovery_hashes.begin(), user.recovery_hashes.end(),
                         [&hash](const std::string& h) { return ConstantTimeEquals(h, hash); });
  if (it == user.recovery_hashes.end()) {
    return false;
  }
  user.recovery_hashes.erase(it);
  return true;
}

DocWrite Identity::NewSession(const User& user, bool mfa, std::string* token, int64_t* expires) {
  const int64_t now = NowMs();
  *token = auth::NewToken(random_, auth::kSessionTokenPrefix);
  *expires = now + kSessionMs;
  const nlohmann::json session = {
      {"email", user.email}, {"uid", user.uid},        {"epoch", user.credential_epoch},
      {"created_ms", now},   {"expires_ms", *expires}, {"mfa_verified", mfa}};
  return {kSessions, auth::TokenHash(*token), session.dump(), 0};
}

Result<LoginResult> Identity::Login(const std::string& email_in, const std::string& password,
                                    const std::string& otp, const std::string& source) {
  auto email = CheckEmail(email_in);
  EC2M_RETURN_IF_ERROR(email);
  auto loaded = Load(*email);
  EC2M_RETURN_IF_ERROR(loaded);
  const bool known = loaded->has_value() && !(*loaded)->disabled;
  const bool trusted = known && (*loaded)->trusted_sources.count(source) != 0;
  // Unknown and disabled users are counted and slowed exactly like real ones.
  auto ticket = throttle_.Take(*email, source, trusted);
  EC2M_RETURN_IF_ERROR(ticket);
  if (!known) {
    // An unknown email takes as long to refuse as a wrong password.
    (void)auth::VerifyPassword(password, DummyHash());
    Audit(*email, "auth.login", "user:" + *email, source, "failure",
          loaded->has_value() ? "user disabled" : "unknown user");
    return Fail(ErrorCode::kUnauthenticated, kInvalidLogin);
  }
  User user = std::move(**loaded);
  if (!auth::VerifyPassword(password, user.password_hash)) {
    Audit(*email, "auth.login", "user:" + *email, source, "failure", "wrong password");
    return Fail(ErrorCode::kUnauthenticated, kInvalidLogin);
  }
  if (user.mfa_enabled && otp.empty()) {
    // Not a failure: the password was right and the client now asks for the code.
    EC2M_RETURN_IF_ERROR(throttle_.Refund(*ticket, false));
    return Fail(ErrorCode::kUnauthenticated, "otp: an MFA code is required");
  }
  for (int race = 0; race < kMaxSaveRaces; ++race) {
    if (user.mfa_enabled && !ConsumeSecondFactor(user, otp)) {
      Audit(*email, "auth.login", "user:" + *email, source, "failure", "wrong MFA code");
      return Fail(ErrorCode::kUnauthenticated, "otp: the code is not valid");
    }
    const int64_t now = NowMs();
    user.trusted_sources[source] = now;
    PruneTrusted(user.trusted_sources, now);
    std::string token;
    int64_t expires = 0;
    DocWrite session = NewSession(user, user.mfa_enabled, &token, &expires);
    auto saved = Commit(user,
                        {*email, "auth.login", "user:" + *email, "", source, "success",
                         user.mfa_enabled ? "with MFA" : ""},
                        {std::move(session)});
    if (saved) {
      EC2M_RETURN_IF_ERROR(throttle_.Refund(*ticket, true));
      return LoginResult{token, TimeText(expires), std::move(*saved)};
    }
    if (!LostRace(saved.error())) {
      return Fail(saved.error());
    }
    // Another sign-in of this user saved first (it may have used this very code): read again.
    auto again = Load(*email);
    EC2M_RETURN_IF_ERROR(again);
    if (!again->has_value() || (*again)->disabled) {
      return Fail(ErrorCode::kUnauthenticated, kInvalidLogin);
    }
    user = std::move(**again);
  }
  return Fail(ErrorCode::kUnavailable, "sign-in: too many sign-ins of this user at once");
}

Result<std::shared_ptr<const Principal>> Identity::Authenticate(const std::string& bearer,
                                                                const std::string& source) {
  const int64_t now = NowMs();
  const std::string hash = auth::TokenHash(bearer);
  if (auto cached = Lookup(hash, now)) {
    return cached;
  }
  const bool api = bearer.rfind(auth::kApiTokenPrefix, 0) == 0;
  const bool session = bearer.rfind(auth::kSessionTokenPrefix, 0) == 0;
  if (!api && !session) {
    return Fail(ErrorCode::kUnauthenticated, "the bearer token is not an ec2m token");
  }
  constexpr const char* kGone = "the token is unknown, expired or revoked";
  auto doc = store_.GetDoc(api ? kTokens : kSessions, hash);
  EC2M_RETURN_IF_ERROR(doc);
  if (!doc->has_value()) {
    return Fail(ErrorCode::kUnauthenticated, kGone);
  }
  nlohmann::json j = ParseJsonOrDiscard((*doc)->body);
  if (!j.is_object()) {
    return Fail(ErrorCode::kInternal, "a stored token does not parse");
  }
  Principal p;
  p.api_token = api;
  p.expires_ms = j.value("expires_ms", int64_t{0});
  p.mfa_verified = j.value("mfa_verified", false);
  p.token_id = j.value("id", "");
  if (p.expires_ms <= now) {
    return Fail(ErrorCode::kUnauthenticated, kGone);
  }
  auto user = Load(j.value("email", ""));
  EC2M_RETURN_IF_ERROR(user);
  if (!*user || (*user)->disabled) {
    return Fail(ErrorCode::kUnauthenticated, "the token's user is disabled or gone");
  }
  // Made for another user of this email (deleted and re-created), or before a password change.
  if (j.value("uid", "") != (*user)->uid ||
      j.value("epoch", int64_t{0}) != (*user)->credential_epoch) {
    return Fail(ErrorCode::kUnauthenticated, kGone);
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

std::shared_ptr<const Principal> Identity::CachedPrincipal(const std::string& bearer) {
  return Lookup(auth::TokenHash(bearer), NowMs());
}

std::shared_ptr<const Principal> Identity::Lookup(const std::string& token_hash, int64_t now) {
  std::lock_guard lock(mu_);
  auto it = cache_.find(token_hash);
  if (it != cache_.end() && it->second.until_ms > now && it->second.principal->expires_ms > now) {
    return it->second.principal;
  }
  return nullptr;
}

void Identity::ForgetCached() {
  std::lock_guard lock(mu_);
  cache_.clear();
}

Result<void> Identity::Logout(const std::string& bearer, const Principal& who,
                              const std::string& source) {
  const std::string hash = auth::TokenHash(bearer);
  const audit::AuditRecord record{who.user.email,
                                  "auth.logout",
                                  "user:" + who.user.email,
                                  "",
                                  source,
                                  "success",
                                  who.api_token ? "API token: nothing revoked" : ""};
  if (who.api_token) {
    Audit(record.actor, record.action, record.target, source, record.result, record.detail);
    return {};
  }
  EC2M_RETURN_IF_ERROR(audit_.Commit(record, {{kSessions, hash, std::nullopt}}));
  Forget(hash);
  return {};
}

Result<User> Identity::SignUp(const std::string& email_in, const std::string& password,
                              const std::vector<std::string>& environments,
                              const std::string& source) {
  auto email = CheckEmail(email_in);
  EC2M_RETURN_IF_ERROR(email);
  if (environments.empty()) {
    return Fail(ErrorCode::kPermissionDenied,
                "self sign-up is not enabled in any environment (cognito.selfSignUpEnabled)");
  }
  EC2M_RETURN_IF_ERROR(auth::CheckPasswordPolicy(password, *email));
  std::map<std::string, Role> roles;
  for (const auto& env : environments) {
    roles[env] = Role::kViewer;
  }
  return Create(*email, password, roles,
                {*email, "user.signup", "user:" + *email, "", source, "success", ""});
}

Result<User> Identity::Create(const std::string& email, const std::string& password,
                              const std::map<std::string, Role>& roles,
                              const audit::AuditRecord& record) {
  auto hash = auth::HashPassword(password, random_);
  EC2M_RETURN_IF_ERROR(hash);
  User u;
  u.email = email;
  u.uid = HexEncode(auth::RandomBytes(random_, 8));
  u.password_hash = *hash;
  u.roles = roles;
  u.created_at = TimeText(NowMs());
  auto saved = Commit(u, record);
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
    auto u = Decode(d);
    if (!u) {
      // One damaged record does not hide the others; the log names it.
      std::fprintf(stderr, "ec2m: %s\n", u.error().ToString().c_str());
      continue;
    }
    users.push_back(std::move(*u));
  }
  return users;
}

Result<User> Identity::GetUser(const std::string& email) {
  auto u = Load(AsciiLower(email));
  EC2M_RETURN_IF_ERROR(u);
  if (!*u) {
    return Fail(ErrorCode::kNotFound, "user " + ShownValue(email) + " not found");
  }
  return std::move(**u);
}

Result<SigninState> Identity::Signins(const std::string& email) {
  auto state = throttle_.Account(email);
  EC2M_RETURN_IF_ERROR(state);
  SigninState out{state->failures, ""};
  if (state->next_untrusted_ms > NowMs()) {
    out.throttled_until = TimeText(state->next_untrusted_ms);
  }
  return out;
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
  return Create(*email, password, roles,
                {who.user.email, "user.create", "user:" + *email, "", source, "success",
                 RolesToJson(roles).dump()});
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
  const std::string target = "user:" + user->email;
  auto saved = Commit(std::move(*user),
                      {who.user.email, "user.update", target, "", source, "success", detail});
  EC2M_RETURN_IF_ERROR(saved);
  ForgetCached();
  return saved;
}

Result<void> Identity::DeleteUser(const std::string& email, const Principal& who,
                                  const std::string& source) {
  auto user = GetUser(email);
  EC2M_RETURN_IF_ERROR(user);
  if (user->email == who.user.email) {
    return Fail(ErrorCode::kFailedPrecondition, "you cannot delete yourself");
  }
  // The user and every API token of theirs go in one commit; sessions carry the user's uid, so
  // a user created later with this email never inherits one.
  std::vector<DocWrite> writes = {{kUsers, user->email, std::nullopt, user->version}};
  auto index = store_.ListDocs(kUserTokens, {.prefix = user->email + "/"});
  EC2M_RETURN_IF_ERROR(index);
  for (const Doc& entry : *index) {
    writes.push_back({kTokens, entry.body, std::nullopt});
    writes.push_back({kUserTokens, entry.key, std::nullopt});
  }
  EC2M_RETURN_IF_ERROR(
      audit_.Commit({who.user.email, "user.delete", "user:" + user->email, "", source, "success",
                     fmt::format("{} API token(s) revoked", index->size())},
                    std::move(writes)));
  ForgetCached();
  return {};
}

Result<User> Identity::Reauthenticate(const Principal& who, const std::string& password,
                                      const std::string& otp, const std::string& source,
                                      std::string_view password_field) {
  auto user = GetUser(who.user.email);
  EC2M_RETURN_IF_ERROR(user);
  auto ticket = throttle_.Take(user->email, source, user->trusted_sources.count(source) != 0);
  EC2M_RETURN_IF_ERROR(ticket);
  if (!auth::VerifyPassword(password, user->password_hash)) {
    Audit(user->email, "user.reauthenticate", "user:" + user->email, source, "failure",
          "wrong password");
    return Fail(ErrorCode::kPermissionDenied,
                std::string(password_field) + ": the password is not right");
  }
  if (user->mfa_enabled && otp.empty()) {
    // Not a failure: the password was right and the client now asks for the code.
    EC2M_RETURN_IF_ERROR(throttle_.Refund(*ticket, false));
    return Fail(ErrorCode::kPermissionDenied, "otp: your current MFA code is required");
  }
  if (user->mfa_enabled && !ConsumeSecondFactor(*user, otp)) {
    Audit(user->email, "user.reauthenticate", "user:" + user->email, source, "failure",
          "wrong MFA code");
    return Fail(ErrorCode::kPermissionDenied, "otp: the code is not valid");
  }
  EC2M_RETURN_IF_ERROR(throttle_.Refund(*ticket, false));
  return user;
}

Result<LoginResult> Identity::ChangePassword(const Principal& who, const std::string& current,
                                             const std::string& next, const std::string& source) {
  auto user = GetUser(who.user.email);
  EC2M_RETURN_IF_ERROR(user);
  // The code is not asked for here: the session already proved it when MFA is on.
  auto ticket = throttle_.Take(user->email, source, user->trusted_sources.count(source) != 0);
  EC2M_RETURN_IF_ERROR(ticket);
  if (!auth::VerifyPassword(current, user->password_hash)) {
    Audit(who.user.email, "user.password", "user:" + who.user.email, source, "failure",
          "wrong current password");
    return Fail(ErrorCode::kPermissionDenied, "current: the password is not right");
  }
  EC2M_RETURN_IF_ERROR(throttle_.Refund(*ticket, false));
  EC2M_RETURN_IF_ERROR(auth::CheckPasswordPolicy(next, user->email));
  auto hash = auth::HashPassword(next, random_);
  EC2M_RETURN_IF_ERROR(hash);
  user->password_hash = *hash;
  ++user->credential_epoch;  // every session and API token of the old password stops working
  std::string token;
  int64_t expires = 0;
  DocWrite session = NewSession(*user, who.mfa_verified, &token, &expires);
  auto saved = Commit(std::move(*user),
                      {who.user.email, "user.password", "user:" + who.user.email, "", source,
                       "success", "sessions and API tokens revoked"},
                      {std::move(session)});
  EC2M_RETURN_IF_ERROR(saved);
  ForgetCached();
  return LoginResult{token, TimeText(expires), std::move(*saved)};
}

namespace {

// An API token made without MFA cannot change MFA: whoever holds such a token must not be able
// to take over the second factor of its user.
Result<void> MayChangeMfa(const Principal& who) {
  if (who.api_token && !who.mfa_verified) {
    return Fail(ErrorCode::kPermissionDenied,
                "an API token made without MFA cannot change MFA: sign in with your password "
                "(and code) instead");
  }
  return {};
}

}  // namespace

Result<MfaEnrollment> Identity::BeginMfa(const Principal& who, const std::string& password,
                                         const std::string& otp, const std::string& source) {
  EC2M_RETURN_IF_ERROR(MayChangeMfa(who));
  auto user = Reauthenticate(who, password, otp, source, "password");
  EC2M_RETURN_IF_ERROR(user);
  user->mfa_pending_secret = auth::NewTotpSecret(random_);
  const MfaEnrollment out{user->mfa_pending_secret,
                          auth::OtpauthUri(user->mfa_pending_secret, "ec2m", user->email)};
  EC2M_RETURN_IF_ERROR(
      Commit(std::move(*user), {who.user.email, "user.mfa_enroll", "user:" + who.user.email, "",
                                source, "success", "started"}));
  return out;
}

Result<std::vector<std::string>> Identity::ConfirmMfa(const Principal& who,
                                                      const std::string& bearer,
                                                      const std::string& otp,
                                                      const std::string& source) {
  EC2M_RETURN_IF_ERROR(MayChangeMfa(who));
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
  std::vector<DocWrite> extra;
  const std::string hash = auth::TokenHash(bearer);
  if (!who.api_token) {
    // The session that proved the code is MFA-verified from now on.
    auto doc = store_.GetDoc(kSessions, hash);
    EC2M_RETURN_IF_ERROR(doc);
    if (doc->has_value()) {
      nlohmann::json j = ParseJsonOrDiscard((*doc)->body);
      if (j.is_object()) {
        j["mfa_verified"] = true;
        extra.push_back({kSessions, hash, j.dump(), (*doc)->version});
      }
    }
  }
  EC2M_RETURN_IF_ERROR(Commit(std::move(*user),
                              {who.user.email, "user.mfa_enroll", "user:" + who.user.email, "",
                               source, "success", "enabled"},
                              std::move(extra)));
  Forget(hash);
  return codes;
}

Result<void> Identity::DisableMfa(const Principal& who, const std::string& password,
                                  const std::string& otp, const std::string& source) {
  EC2M_RETURN_IF_ERROR(MayChangeMfa(who));
  if (!who.user.mfa_enabled) {
    return Fail(ErrorCode::kFailedPrecondition, "MFA is not on");
  }
  auto user = Reauthenticate(who, password, otp, source, "password");
  EC2M_RETURN_IF_ERROR(user);
  user->mfa_enabled = false;
  user->mfa_secret.clear();
  user->mfa_pending_secret.clear();
  user->recovery_hashes.clear();
  EC2M_RETURN_IF_ERROR(
      Commit(std::move(*user), {who.user.email, "user.mfa_reset", "user:" + who.user.email, "",
                                source, "success", "turned off by the user"}));
  ForgetCached();
  return {};
}

Result<std::vector<std::string>> Identity::RegenerateRecoveryCodes(const Principal& who,
                                                                   const std::string& password,
                                                                   const std::string& otp,
                                                                   const std::string& source) {
  EC2M_RETURN_IF_ERROR(MayChangeMfa(who));
  if (!who.user.mfa_enabled) {
    return Fail(ErrorCode::kFailedPrecondition, "MFA is not on: enrol first");
  }
  auto user = Reauthenticate(who, password, otp, source, "password");
  EC2M_RETURN_IF_ERROR(user);
  std::vector<std::string> codes = auth::NewRecoveryCodes(random_);
  user->recovery_hashes.clear();
  for (const auto& c : codes) {
    user->recovery_hashes.push_back(auth::RecoveryCodeHash(c));
  }
  EC2M_RETURN_IF_ERROR(
      Commit(std::move(*user), {who.user.email, "user.mfa_recovery_codes", "user:" + who.user.email,
                                "", source, "success", "regenerated"}));
  return codes;
}

Result<User> Identity::ResetMfa(const std::string& email, const Principal& who,
                                const std::string& source) {
  auto user = GetUser(email);
  EC2M_RETURN_IF_ERROR(user);
  if (user->email == who.user.email) {
    return Fail(ErrorCode::kFailedPrecondition,
                "reset your own MFA with DELETE /api/v1/me/mfa (your password and a code)");
  }
  user->mfa_enabled = false;
  user->mfa_secret.clear();
  user->mfa_pending_secret.clear();
  user->recovery_hashes.clear();
  ++user->credential_epoch;  // whoever holds the lost device's sessions is signed out
  auto saved =
      Commit(std::move(*user), {who.user.email, "user.mfa_reset", "user:" + email, "", source,
                                "success", "reset by an admin; sessions and API tokens revoked"});
  EC2M_RETURN_IF_ERROR(saved);
  ForgetCached();
  return saved;
}

Result<ApiToken> Identity::CreateToken(const Principal& who, const std::string& name, int64_t days,
                                       const std::string& source) {
  if (name.empty() || name.size() > 64 || !IsValidUtf8(name)) {
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
  const int64_t expires = now + days * kDayMs;
  t.expires_at = TimeText(expires);
  const nlohmann::json doc = {{"id", t.id},
                              {"name", name},
                              {"email", t.email},
                              {"uid", who.user.uid},
                              {"epoch", who.user.credential_epoch},
                              {"created_at", t.created_at},
                              {"expires_at", t.expires_at},
                              {"expires_ms", expires},
                              {"mfa_verified", who.mfa_verified}};
  EC2M_RETURN_IF_ERROR(audit_.Commit(
      {who.user.email, "token.create", "token:" + t.id, "", source, "success", name},
      {{kTokens, hash, doc.dump(), 0}, {kUserTokens, t.email + "/" + t.id, hash, 0}}));
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
    const nlohmann::json j = ParseJsonOrDiscard((*doc)->body);
    // Tokens of an earlier user of this email, or of an older password, are not theirs to list.
    if (j.is_object() && j.value("uid", "") == who.user.uid &&
        j.value("epoch", int64_t{0}) == who.user.credential_epoch) {
      out.push_back(DecodeToken(j));
    }
  }
  return out;
}

Result<void> Identity::RevokeToken(const Principal& who, const std::string& id,
                                   const std::string& source) {
  auto not_found = [&id] {
    return Fail(ErrorCode::kNotFound, "token " + ShownValue(id) + " not found");
  };
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
  const nlohmann::json j = ParseJsonOrDiscard(d.body);
  const std::string owner = j.is_object() ? j.value("email", "") : "";
  if (owner != who.user.email && !who.user.admin()) {
    return not_found();  // someone else's token: not found, as far as this caller may know
  }
  EC2M_RETURN_IF_ERROR(audit_.Commit(
      {who.user.email, "token.revoke", "token:" + id, "", source, "success", ""},
      {{kTokens, d.key, std::nullopt, d.version}, {kUserTokens, owner + "/" + id, std::nullopt}}));
  Forget(d.key);
  return {};
}

}  // namespace ec2m::server
