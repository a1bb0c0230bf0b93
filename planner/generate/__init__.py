"""planner/generate"""
