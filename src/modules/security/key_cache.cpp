#include "key_cache.hpp"

#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>

#include <tmfd/json.hpp>
#include <tmfd/log.hpp>

namespace tmfd::security {

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read '" + path + "'");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string discovery_url(std::string issuer) {
  while (!issuer.empty() && issuer.back() == '/') issuer.pop_back();
  return issuer + "/.well-known/openid-configuration";
}

} // namespace

KeyCache::KeyCache(std::vector<KeySource> sources, std::chrono::seconds refresh_interval,
                   std::chrono::milliseconds min_refresh_interval, FetchOptions fetch)
    : refresh_interval_(refresh_interval), min_refresh_interval_(min_refresh_interval), fetch_(std::move(fetch)) {
  for (auto& s : sources) entries_.push_back(Entry{std::move(s), std::make_shared<const KeySet>(), {}, {}, false});
}

KeyCache::~KeyCache() { stop(); }

std::shared_ptr<const KeySet> KeyCache::keys(std::size_t issuer) const {
  std::lock_guard lock(mutex_);
  return entries_.at(issuer).keys;
}

void KeyCache::request_refresh(std::size_t issuer) {
  {
    std::lock_guard lock(mutex_);
    auto& e = entries_.at(issuer);
    if (e.wanted) return;
    e.wanted = true;
  }
  wake_.notify_one();
}

std::string KeyCache::fetch_key_set(std::size_t issuer) {
  KeySource source;
  std::string jwks_uri;
  {
    std::lock_guard lock(mutex_);
    source = entries_[issuer].source;
    jwks_uri = entries_[issuer].jwks_uri;
  }
  if (!source.jwks_file.empty()) return read_file(source.jwks_file);
  if (!source.jwks_url.empty()) return http_get(source.jwks_url, fetch_);
  // Discovery: the document names the key set, and must be the issuer's own (OIDC Discovery 4.3).
  const auto url = discovery_url(source.issuer);
  boost::system::error_code ec;
  auto doc = json::parse(http_get(url, fetch_), ec);
  if (ec || !doc.is_object()) throw std::runtime_error(url + ": not a JSON object");
  const auto* iss = doc.as_object().if_contains("issuer");
  if (!iss || !iss->is_string() || iss->get_string() != source.issuer)
    throw std::runtime_error(url + ": its \"issuer\" is not '" + source.issuer + "'");
  const auto* uri = doc.as_object().if_contains("jwks_uri");
  if (!uri || !uri->is_string()) throw std::runtime_error(url + ": no \"jwks_uri\"");
  jwks_uri = std::string(uri->get_string());
  {
    std::lock_guard lock(mutex_);
    entries_[issuer].jwks_uri = jwks_uri;
  }
  return http_get(jwks_uri, fetch_);
}

void KeyCache::load(std::size_t issuer) {
  std::string name;
  {
    std::lock_guard lock(mutex_);
    entries_[issuer].last_attempt = std::chrono::steady_clock::now();
    entries_[issuer].wanted = false;
    name = entries_[issuer].source.issuer;
  }
  try {
    auto keys = std::make_shared<const KeySet>(parse_jwks(fetch_key_set(issuer)));
    const auto count = keys->size();
    {
      std::lock_guard lock(mutex_);
      entries_[issuer].keys = std::move(keys);
    }
    log::info("security", "signing keys loaded", {{"issuer", name}, {"keys", static_cast<std::int64_t>(count)}});
  } catch (const std::exception& e) {
    // The keys loaded before stay: a provider briefly down does not lock everyone out.
    log::warn("security", "cannot load signing keys; keeping the previous ones", {{"issuer", name}, {"error", e.what()}});
  }
}

void KeyCache::load_all() {
  for (std::size_t i = 0; i < entries_.size(); ++i) load(i);
}

void KeyCache::start() { thread_ = std::thread([this] { run(); }); }

void KeyCache::stop() noexcept {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void KeyCache::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    // The next issuer due: one asked for (no sooner than min_refresh_interval after its last
    // attempt), or one whose periodic refresh came.
    const auto now = std::chrono::steady_clock::now();
    auto next_wake = now + refresh_interval_;
    std::optional<std::size_t> due;
    for (std::size_t i = 0; i < entries_.size() && !due; ++i) {
      const auto& e = entries_[i];
      const auto at = e.wanted ? e.last_attempt + min_refresh_interval_ : e.last_attempt + refresh_interval_;
      if (at <= now) due = i;
      else if (at < next_wake) next_wake = at;
    }
    if (due) {
      lock.unlock();
      load(*due);
      lock.lock();
      continue;
    }
    wake_.wait_until(lock, next_wake);
  }
}

} // namespace tmfd::security
