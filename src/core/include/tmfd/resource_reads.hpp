#pragma once
// What reading a stored resource gives, and reads inside a write transaction.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <tmfd/json.hpp>

namespace tmfd {

struct StoredResource {
  std::string body;      // the resource as JSON text, exactly as served
  std::int64_t version;  // optimistic-concurrency version, served as the ETag
};

struct ListPage {
  std::vector<std::string> bodies;  // JSON text of each resource of the page
  std::size_t total = 0;            // matches before paging (X-Total-Count)
};

// Result of an in-process write, delivered once the change is committed (or refused).
struct WriteResult {
  int status = 0;            // HTTP status the same call over REST would have answered
  std::string body;          // the resource, or the TMF error body
  std::int64_t version = 0;
  std::string location;      // href of a created resource (the Location header)
};
using WriteCallback = std::function<void(WriteResult)>;

// Reads inside a write transaction (see ResourceHooks::check_in_transaction).
class TransactionReader {
public:
  virtual ~TransactionReader() = default;
  virtual std::optional<StoredResource> get(const std::string& collection_path, const std::string& id) = 0;
  // Resources of a collection matching a TMF630 filter query, e.g. "productSpecification.id=42".
  virtual std::size_t count(const std::string& collection_path, const std::string& query) = 0;
  // True for a federated reference: one whose href names another server (see
  // is_external_reference). Modules keep such references as sent and check nothing about them.
  virtual bool is_external(const json::object& reference) const = 0;
};

// True when `reference` ({"id", "href", ...}) points at another server than this tmfd: its href
// is an absolute URL (scheme://...) that does not start with `own_base_url`
// (server.public_base_url; when that is empty, tmfd writes relative hrefs, so every absolute
// href is another server's). A reference without href, or with a relative or own href, is local.
bool is_external_reference(const json::object& reference, std::string_view own_base_url);

} // namespace tmfd
