# Host tools: build/hotcpu (tools/hotcpu/).
