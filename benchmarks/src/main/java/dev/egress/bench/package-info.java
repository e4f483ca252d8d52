package dev.egress.bench;
