# The Kafka adapter's benchmark (bench/kafka_bench.cpp), included by test/CMakeLists.txt. Not a
# test: it prints figures (bench/kafka_bench.sh builds and runs it). It runs a librdkafka mock
# cluster in its own process, so it links librdkafka; it reads eventTime with the callback
# receiver's timestamp parser (test/support, added by integration/delivery.cmake).
add_executable(tmfd_kafka_bench ${CMAKE_SOURCE_DIR}/bench/kafka_bench.cpp ${CMAKE_SOURCE_DIR}/bench/bench_load.cpp)
target_link_libraries(tmfd_kafka_bench PRIVATE tmfd_test_support PkgConfig::RDKAFKA Threads::Threads)
tmfd_apply_warnings(tmfd_kafka_bench)
add_dependencies(tmfd_kafka_bench tmfd tmfd_party tmfd_kafka)
