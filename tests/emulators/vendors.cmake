# The Junos and BIG-IP kinds of the device emulator (pure text processing,
# emu_kind.h) and their unit tests test_emu_junos.c, test_emu_bigip.c.
#
# Paths are relative to this file, so that any CMake file may include it,
# and a second include is harmless:
# - with the emulators' own CMakeLists.txt beside this file, that file owns
#   the kinds' library and the test_emu_*.c tests: this fragment gives it
#   ACLF_EMU_VENDOR_SRC (for its kind sources) and, when the kinds' library
#   aclf_emu_kinds already exists, adds the sources to it;
# - without it (the emulators' server not built here), this fragment builds
#   the kinds as aclf_emu_vendors and registers the two tests itself.
include_guard(GLOBAL)
set(ACLF_EMU_VENDOR_SRC
  ${CMAKE_CURRENT_LIST_DIR}/emu_junos_tree.c
  ${CMAKE_CURRENT_LIST_DIR}/emu_junos_stmt.c
  ${CMAKE_CURRENT_LIST_DIR}/emu_junos_load.c
  ${CMAKE_CURRENT_LIST_DIR}/emu_junos_commit.c
  ${CMAKE_CURRENT_LIST_DIR}/emu_junos_packet.c
  ${CMAKE_CURRENT_LIST_DIR}/emu_junos_pipe.c
  ${CMAKE_CURRENT_LIST_DIR}/emu_junos_cli.c
  ${CMAKE_CURRENT_LIST_DIR}/emu_bigip_lex.c
  ${CMAKE_CURRENT_LIST_DIR}/emu_bigip_objects.c
  ${CMAKE_CURRENT_LIST_DIR}/emu_bigip_refs.c
  ${CMAKE_CURRENT_LIST_DIR}/emu_bigip_list.c
  ${CMAKE_CURRENT_LIST_DIR}/emu_bigip_tmsh.c)

if(EXISTS ${CMAKE_CURRENT_LIST_DIR}/CMakeLists.txt)
  if(TARGET aclf_emu_kinds)
    target_sources(aclf_emu_kinds PRIVATE ${ACLF_EMU_VENDOR_SRC})
  endif()
  return()
endif()

add_library(aclf_emu_vendors STATIC ${ACLF_EMU_VENDOR_SRC})
target_include_directories(aclf_emu_vendors PUBLIC ${CMAKE_CURRENT_LIST_DIR})
target_link_libraries(aclf_emu_vendors PUBLIC aclforge_core)

foreach(name test_emu_junos test_emu_bigip)
  add_executable(${name} ${CMAKE_CURRENT_LIST_DIR}/${name}.c $<TARGET_OBJECTS:aclforge_registry>)
  target_link_libraries(${name} PRIVATE aclf_emu_vendors PkgConfig::CMOCKA)
  add_test(NAME emulators/${name} COMMAND ${name})
  set_tests_properties(emulators/${name} PROPERTIES ENVIRONMENT "${ACLF_TEST_ENV}" LABELS unit
    SKIP_RETURN_CODE 77)
endforeach()
