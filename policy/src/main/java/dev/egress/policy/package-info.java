package dev.egress.policy;
