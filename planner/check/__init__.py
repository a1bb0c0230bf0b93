"""planner/check"""
