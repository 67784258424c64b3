# The Kafka adapter's tests (test/integration/kafka_test.cpp), included by test/CMakeLists.txt.
# They run a librdkafka mock cluster in the test process, so they link librdkafka themselves; one
# publishes to TMF688 topics through the event module.
target_sources(tmfd_integration_tests PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/integration/kafka_test.cpp)
target_link_libraries(tmfd_integration_tests PRIVATE PkgConfig::RDKAFKA)
add_dependencies(tmfd_integration_tests tmfd_kafka tmfd_event)
