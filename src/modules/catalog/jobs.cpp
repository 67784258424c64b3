#include "jobs.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <future>
#include <sstream>

#include <tmfd/error.hpp>
#include <tmfd/log.hpp>

#include "catalog_document.hpp"
#include "catalog_kinds.hpp"

namespace tmfd::catalog_module {

namespace fs = std::filesystem;

namespace {

const char* kNotStarted = "Not Started";
const char* kRunning = "Running";
const char* kSucceeded = "Succeeded";
const char* kFailed = "Failed";

// With milliseconds, like the engine's creationDate, so completion never sorts before creation.
std::string now_utc() {
  auto now = std::chrono::system_clock::now();
  auto t = std::chrono::system_clock::to_time_t(now);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  std::size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  std::snprintf(buf + n, sizeof buf - n, ".%03dZ", static_cast<int>(ms));
  return buf;
}

// Writes `text` to a new file at `path` and makes sure all of it reached the file: every write()
// (short writes resumed), fsync() (where a full disk or an I/O error may show up only now, e.g.
// on NFS or with delayed allocation), close(), and finally the file's size. A stream's state
// after close() would miss the last two. On failure the file is removed and the error names it
// as `shown`.
void write_whole_file(const std::string& path, const std::string& text, const std::string& shown) {
  auto fail = [&](const std::string& what, int error) {
    ::unlink(path.c_str());
    std::string why = std::strerror(error);
    if (error == ENOSPC || error == EDQUOT) why += ": the disk is full";
    throw std::runtime_error("could not write all of '" + shown + "' (" + what + ": " + why + ")");
  };
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw std::runtime_error("cannot create '" + shown + "' in the export directory: " + std::strerror(errno));
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int error = n < 0 ? errno : EIO;
      ::close(fd);
      fail("write", error);
    }
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) {
    const int error = errno;
    ::close(fd);
    fail("fsync", error);
  }
  if (::close(fd) != 0) fail("close", errno);
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) fail("stat", errno);
  if (static_cast<std::size_t>(st.st_size) != text.size())
    fail("size " + std::to_string(st.st_size) + " of " + std::to_string(text.size()) + " bytes", EIO);
}

CatalogKind job_kind(const std::string& base, const std::string& api, const char* collection, const char* type,
                     const JobOptions& options, bool is_import) {
  std::vector<Attribute> attributes = {date("completionDate"), str("contentType"), date("creationDate"),
                                       str("errorLog"), str("path"), str("url"), str("status")};
  if (!is_import) attributes.push_back(str("query"));
  ResourceHooks hooks;
  std::string directory = is_import ? options.import_directory : options.export_directory;
  hooks.validate = [directory, is_import](json::object& job, const json::object* previous) {
    if (previous) return;  // later changes come from the runner itself (no PATCH route)
    if (job.at("status") != kNotStarted) throw ApiError::invalid_attribute("status", "is set by the server");
    for (const char* server_set : {"completionDate", "errorLog"})
      if (job.contains(server_set)) throw ApiError::invalid_attribute(server_set, "is set by the server");
    if (auto* ct = job.if_contains("contentType"); ct && ct->is_string() && ct->get_string() != "application/json")
      throw ApiError::invalid_attribute("contentType", "must be application/json (the catalog document)");
    file_in_directory(std::string(job.at("url").as_string()), directory, is_import ? "import" : "export");
  };
  return CatalogKind{
      ResourceKind{.api = api,
                   .base_path = base,
                   .collection = collection,
                   .type = type,
                   .mandatory = {"url"},
                   .attributes = std::move(attributes),
                   .indexed = {"status"},
                   .lifecycle = Lifecycle{.field = "status",
                                          .initial = kNotStarted,
                                          .states = {kNotStarted, kRunning, kSucceeded, kFailed},
                                          .transitions = {{kNotStarted, kRunning},
                                                          {kRunning, kSucceeded},
                                                          {kRunning, kFailed},
                                                          {kNotStarted, kFailed}},
                                          .aliases = {}},
                   .events = EventNames{.create = std::string(type) + "CreateEvent",
                                        .state_change = std::string(type) + "StateChangeEvent"},
                   .created_field = "creationDate",
                   .operations = Operations{.patch = false}},
      {},
      std::move(hooks)};
}

} // namespace

std::vector<CatalogKind> job_kinds(const std::string& base_path, const std::string& api, const JobOptions& options) {
  std::vector<CatalogKind> kinds;
  kinds.push_back(job_kind(base_path, api, "importJob", "ImportJob", options, true));
  kinds.push_back(job_kind(base_path, api, "exportJob", "ExportJob", options, false));
  return kinds;
}

std::string file_in_directory(const std::string& url, const std::string& directory, const char* purpose) {
  if (directory.empty())
    throw ApiError::invalid_attribute("url", std::string("cannot be used: no ") + purpose +
                                                 "_directory is configured for the catalog module");
  const std::string scheme = "file://";
  if (url.rfind(scheme, 0) != 0) throw ApiError::invalid_attribute("url", "must be a file:// URL");
  // A control character (a NUL above all, at which the file system would cut the name) has no
  // place in a file name an operator configured folders for.
  for (unsigned char c : url)
    if (c < 0x20 || c == 0x7f) throw ApiError::invalid_attribute("url", "must not contain control characters");
  fs::path path(url.substr(scheme.size()));
  if (!path.is_absolute()) throw ApiError::invalid_attribute("url", "must hold an absolute path");
  std::error_code ec;
  auto root = fs::weakly_canonical(fs::absolute(directory), ec);
  auto resolved = fs::weakly_canonical(path, ec);
  if (ec) throw ApiError::invalid_attribute("url", "names a path that cannot be resolved");
  auto rel = resolved.lexically_relative(root);
  if (rel.empty() || *rel.begin() == ".." || rel == ".")
    throw ApiError::invalid_attribute("url", std::string("must point to a file inside the ") + purpose + " directory");
  if (fs::is_directory(resolved, ec)) throw ApiError::invalid_attribute("url", "names a directory, not a file");
  return resolved.string();
}

void JobRunner::start(EventBus& bus, std::map<std::string, std::string> apis) {
  apis_ = std::move(apis);
  bus_ = &bus;
  thread_ = std::thread([this] { run(); });
  subscription_ = bus.subscribe("catalog-jobs", [this](const Event& e) {
    if (e.event_type != "ImportJobCreateEvent" && e.event_type != "ExportJobCreateEvent") return;
    auto api = apis_.find(e.domain);
    if (api == apis_.end()) return;
    enqueue({api->second + "/" + e.resource_type, e.resource_id, e.correlation_id});
  });
}

void JobRunner::resume_unfinished() {
  for (const auto& [domain, base] : apis_)
    for (const char* collection : {"importJob", "exportJob"}) {
      auto path = base + "/" + collection;
      // Pages as large as the server allows; advance by what came back, until the total.
      for (std::size_t offset = 0;;) {
        auto page = resources_.list(path, "status=Not%20Started,Running&limit=1000&offset=" + std::to_string(offset));
        for (const auto& body : page.bodies)
          enqueue({path, std::string(parse_object(body).at("id").as_string()), "resumed-job"});
        offset += page.bodies.size();
        if (page.bodies.empty() || offset >= page.total) break;
      }
    }
}

void JobRunner::stop() {
  if (bus_) bus_->unsubscribe(subscription_);
  bus_ = nullptr;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void JobRunner::enqueue(Job job) {
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(job));
  }
  wake_.notify_one();
}

void JobRunner::run() {
  for (;;) {
    Job job;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;  // unfinished jobs resume at the next start
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    try {
      execute(job);
    } catch (const std::exception& e) {
      log::error("catalog", "job failed unexpectedly", {{"job", job.id}, {"error", e.what()}});
    }
  }
}

void JobRunner::execute(const Job& job) {
  auto stored = resources_.get(job.collection_path, job.id);
  if (!stored) return;  // deleted before it ran
  auto resource = parse_object(stored->body);
  std::string status(resource.at("status").as_string());
  if (status == kSucceeded || status == kFailed) return;
  if (status == kNotStarted) set_status(job, kRunning, "");
  const bool is_import = job.collection_path.ends_with("/importJob");
  std::string url(resource.at("url").as_string());
  log::info("catalog", is_import ? "import job running" : "export job running", {{"job", job.id}, {"url", url}});
  try {
    log::CorrelationScope scope(job.correlation_id);
    auto note = is_import ? import_from(url, job.correlation_id) : export_to(url);
    // TMF620's ImportJob/ExportJob have no field for a success note (errorLog is for errors):
    // the note goes to the log only.
    log::info("catalog", is_import ? "import job succeeded" : "export job succeeded", {{"job", job.id}, {"result", note}});
    set_status(job, kSucceeded, "");
  } catch (const ApiError& e) {
    set_status(job, kFailed, e.detail().empty() ? e.reason() : e.detail());
  } catch (const std::exception& e) {
    set_status(job, kFailed, e.what());
  }
}

std::string JobRunner::import_from(const std::string& url, const std::string& correlation_id) {
  auto path = file_in_directory(url, options_.import_directory, "import");
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::stringstream text;
  text << in.rdbuf();
  auto entries = catalog::document_entries(parse_object(text.str()));
  std::promise<ImportOutcome> promise;
  auto outcome_future = promise.get_future();
  // Also what tests wait for to stop tmfd while an import is in the writer's hands.
  log::info("catalog", "import handed to the writer", {{"entries", entries.size()}});
  resources_.import(std::move(entries), correlation_id,
                    [&promise](ImportOutcome o) { promise.set_value(std::move(o)); });
  auto outcome = outcome_future.get();
  if (!outcome.committed) {
    std::string log = "nothing imported; " + std::to_string(outcome.errors.size()) + " entries refused:";
    for (const auto& e : outcome.errors) log += "\n" + e;
    throw std::runtime_error(log);
  }
  return std::to_string(outcome.created) + " resources imported";
}

std::string JobRunner::export_to(const std::string& url) {
  auto path = file_in_directory(url, options_.export_directory, "export");
  auto document = catalog::export_document(resources_);
  std::size_t count = 0;
  for (const auto& kv : document) count += kv.value().as_array().size();
  const fs::path target(path);
  const std::string shown = target.filename().string();
  std::error_code ec;
  if (!fs::is_directory(target.parent_path(), ec))
    throw std::runtime_error("the folder of '" + shown + "' does not exist in the export directory");
  // Write beside, then rename: a reader never sees half a document, and a failed export leaves
  // nothing behind.
  const std::string partial = path + ".partial";
  write_whole_file(partial, json::serialize(document), shown);
  fs::rename(partial, target, ec);
  if (ec) {
    fs::remove(partial, ec);
    throw std::runtime_error("could not move '" + shown + "' into place: " + ec.message());
  }
  return std::to_string(count) + " resources exported";
}

void JobRunner::set_status(const Job& job, const std::string& status, const std::string& log) {
  json::object patch;
  patch["status"] = status;
  if (status == kSucceeded || status == kFailed) {
    patch["completionDate"] = now_utc();
    if (status == kFailed) patch["errorLog"] = log;
  }
  std::promise<WriteResult> promise;
  auto done = promise.get_future();
  resources_.patch(job.collection_path, job.id, std::move(patch), job.correlation_id,
                   [&promise](WriteResult r) { promise.set_value(std::move(r)); });
  auto result = done.get();
  if (result.status != 200)
    log::error("catalog", "could not record the job's status", {{"job", job.id}, {"status", status}, {"error", result.body}});
}

} // namespace tmfd::catalog_module
