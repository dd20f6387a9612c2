# Host tools: build/hotcpu (tools/hotcpu/). Filled in by the CLI work.
