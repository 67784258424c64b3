#pragma once
// A small blocking HTTP(S) GET for the key fetcher's own thread (never an I/O thread of the
// front): the issuer's discovery document and its JWKS. The one translation unit of the module
// that includes Beast.
#include <chrono>
#include <string>

namespace tmfd::security {

struct FetchOptions {
  std::chrono::milliseconds timeout{5000};
  std::string ca_file;                // HTTPS: trusted CAs (PEM); empty: the system's
  std::size_t max_body = 1024 * 1024; // a key set is a few kilobytes
};

// The body of a 200 answer to GET `url` (http:// or https://; the certificate and host name are
// verified). Throws std::runtime_error naming the URL and what failed.
std::string http_get(const std::string& url, const FetchOptions& options);

} // namespace tmfd::security
