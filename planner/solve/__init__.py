"""planner/solve"""
