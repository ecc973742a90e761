package io.portcullis.agent;

import io.portcullis.testsupport.HealthProbesContract;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class HealthTest implements HealthProbesContract {}
