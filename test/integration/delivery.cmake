# Durable hub callbacks (tag [delivery]): hub registration on every API base path, delivery to a
# callback receiver inside the test process that fails on purpose, restarts, dead letters. Also
# the delivery benchmark (bench/delivery_bench.cpp), which uses the same receiver.

# The callback receiver: a real HTTP/1.1 server for the tests and the benchmark (no Catch2).
target_sources(tmfd_test_support PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/support/callback_receiver.cpp)

target_sources(tmfd_integration_tests PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/integration/hub_delivery_test.cpp)

# Not a test: prints figures (bench/delivery_bench.sh builds and runs it). Optimised like the
# build type says, unlike the test code.
add_executable(tmfd_delivery_bench ${CMAKE_SOURCE_DIR}/bench/delivery_bench.cpp ${CMAKE_SOURCE_DIR}/bench/bench_load.cpp)
target_link_libraries(tmfd_delivery_bench PRIVATE tmfd_test_support Threads::Threads)
tmfd_apply_warnings(tmfd_delivery_bench)
add_dependencies(tmfd_delivery_bench tmfd tmfd_party)
