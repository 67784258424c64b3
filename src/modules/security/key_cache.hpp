#pragma once
// The signing keys of every trusted issuer, kept in memory for the filters and refreshed by the
// module's own thread: filters run on the front's I/O threads and must never wait for the network
// or the disk (see tmfd/http_filter.hpp). A token signed with a key the cache does not know asks
// for a refresh and is refused; the refresh happens on the thread, at most once per
// `min_refresh_interval` per issuer, so that tokens with made-up key ids cannot make tmfd hammer
// the identity provider. Keys are also refreshed every `refresh_interval`.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "http_fetch.hpp"
#include "public_key.hpp"

namespace tmfd::security {

// Where one issuer's keys come from: a JWKS file, a JWKS URL, or the issuer's discovery
// document (`{issuer}/.well-known/openid-configuration`, whose `jwks_uri` names the key set).
struct KeySource {
  std::string issuer;
  std::string jwks_file;
  std::string jwks_url;
  bool discovery = false;
};

class KeyCache {
public:
  KeyCache(std::vector<KeySource> sources, std::chrono::seconds refresh_interval,
           std::chrono::milliseconds min_refresh_interval, FetchOptions fetch);
  ~KeyCache();
  KeyCache(const KeyCache&) = delete;
  KeyCache& operator=(const KeyCache&) = delete;

  // Loads every issuer's keys once, on the caller's thread (module start). A source that fails
  // is logged and retried by the thread: an identity provider that is down at start must not keep
  // tmfd from starting, its tokens are refused until it answers.
  void load_all();
  void start();
  void stop() noexcept;

  // The issuer's keys as last loaded (never null).
  std::shared_ptr<const KeySet> keys(std::size_t issuer) const;
  // A token named a key id the issuer's set lacks: fetch again soon, unless fetched too recently.
  void request_refresh(std::size_t issuer);

private:
  struct Entry {
    KeySource source;
    std::shared_ptr<const KeySet> keys;
    std::string jwks_uri;  // found through discovery
    std::chrono::steady_clock::time_point last_attempt{};
    bool wanted = false;   // a refresh was asked for
  };
  void load(std::size_t issuer);
  std::string fetch_key_set(std::size_t issuer);
  void run();

  std::chrono::seconds refresh_interval_;
  std::chrono::milliseconds min_refresh_interval_;
  FetchOptions fetch_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<Entry> entries_;
  bool stopping_ = false;
  std::thread thread_;
};

} // namespace tmfd::security
