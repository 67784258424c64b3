# The stateful SDK's benchmark (bench/stateful_bench.cpp), included by test/CMakeLists.txt. Not a
# test: it prints figures (bench/stateful_bench.sh builds and runs it).
add_executable(tmfd_stateful_bench ${CMAKE_SOURCE_DIR}/bench/stateful_bench.cpp ${CMAKE_SOURCE_DIR}/bench/bench_load.cpp)
target_link_libraries(tmfd_stateful_bench PRIVATE tmfd_test_support Threads::Threads)
tmfd_apply_warnings(tmfd_stateful_bench)
add_dependencies(tmfd_stateful_bench tmfd tmfd_party tmfd_reaction_probe)
