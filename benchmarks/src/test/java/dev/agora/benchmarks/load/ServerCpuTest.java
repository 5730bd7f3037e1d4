package dev.agora.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ServerCpuTest {
  @Test
  void readsUserAndSystemTimeEvenWhenTheCommandNameHasSpacesAndParentheses() {
    String line =
        "4242 (java (agora) x) S 1 4242 4242 0 -1 4194560 5000 0 3 0 1234 567 0 0 20 0 41 0"
            + " 880 9000000000 60000 18446744073709551615 1 1 0 0 0 0 0 3 16800972";

    assertThat(ServerCpu.cpuSeconds(line)).isEqualTo(18.01);
  }

  @Test
  void measuresAShareOfACoreForALiveProcess() throws Exception {
    ServerCpu self = new ServerCpu(ProcessHandle.current().pid());

    assertThat(self.cpuSeconds()).isPositive();
    assertThat(self.shareDuring(Duration.ZERO, Duration.ofMillis(50)).get()).isNotNegative();
  }

  @Test
  void refusesAProcessThatIsNotThere() {
    assertThatThrownBy(() -> new ServerCpu(Long.MAX_VALUE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot read");
  }
}
