# The Kafka adapter's tests (test/integration/kafka_test.cpp), included by test/CMakeLists.txt.
# They run a librdkafka mock cluster in the test process, so they link librdkafka themselves; one
# publishes to TMF688 topics through the event module.
# The 100,000-event backlog test creates its individuals with the benchmarks' load maker.
target_sources(tmfd_integration_tests PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/integration/kafka_test.cpp
                                              ${CMAKE_SOURCE_DIR}/bench/bench_load.cpp)
target_include_directories(tmfd_integration_tests PRIVATE ${CMAKE_SOURCE_DIR}/bench)
target_link_libraries(tmfd_integration_tests PRIVATE PkgConfig::RDKAFKA)
add_dependencies(tmfd_integration_tests tmfd_kafka tmfd_event)
