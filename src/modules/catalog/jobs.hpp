#pragma once
// importJob and exportJob: asynchronous, like the TMF620/633/634 specs say. POST answers 201 with
// status "Not Started"; a worker thread of the module picks the job up from the bus (its create
// event), marks it Running, does the work, and ends it Succeeded or Failed with an errorLog that
// lists every refused entry. An import is all or nothing. Jobs left unfinished by a stop are
// picked up again at the next start.
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include <tmfd/module.hpp>

namespace tmfd::catalog_module {

struct JobOptions {
  std::string import_directory;  // file:// URLs of imports must point inside; empty: file imports off
  std::string export_directory;  // likewise for exports
};

class JobRunner {
public:
  JobRunner(Resources& resources, JobOptions options) : resources_(resources), options_(std::move(options)) {}
  ~JobRunner() { stop(); }

  // `apis` maps an event domain (the kind's api name) to the API's base path.
  void start(EventBus& bus, std::map<std::string, std::string> apis);
  // Queues the jobs a previous run left "Not Started" or "Running".
  void resume_unfinished();
  void stop();

private:
  struct Job {
    std::string collection_path;  // .../importJob or .../exportJob
    std::string id;
    std::string correlation_id;   // of the POST that created it: carried into the events it causes
  };
  void enqueue(Job job);
  void run();
  void execute(const Job& job);
  std::string import_from(const std::string& url, const std::string& correlation_id);  // the success note
  std::string export_to(const std::string& url);
  // Sets status (and completionDate when finishing, errorLog when failed) through the engine, waiting for it.
  void set_status(const Job& job, const std::string& status, const std::string& log);

  Resources& resources_;
  JobOptions options_;
  EventBus* bus_ = nullptr;
  std::uint64_t subscription_ = 0;
  std::map<std::string, std::string> apis_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job> queue_;
  bool stopping_ = false;
  std::thread thread_;
};

// Resolves a file:// URL to a path inside `directory`, refusing anything else (other schemes,
// relative paths, "..", symbolic links leading out). Throws ApiError 400 naming the problem.
std::string file_in_directory(const std::string& url, const std::string& directory, const char* purpose);

} // namespace tmfd::catalog_module
