"""planner/explain"""
