# bench/model: the platform model's speed (cycles and schedules per
# second on one core), printed per rule set and bring-up.
bench-model: $(BUILD)/hotcpu-model
	@mkdir -p $(BUILD)/bench
	bash bench/model/run.sh $(BUILD) 5 | tee $(BUILD)/bench/model.txt
BENCHES += bench-model
.PHONY: bench-model
